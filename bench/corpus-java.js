// Deterministic generator of a realistic Java service code base for the java-scanner benchmark:
// DTO records, services, repositories, utilities with long generic signatures, and a few Lambda
// handlers, a minority of them with init-time unique values.
import { prng } from './corpus-ts.js';

const NOUNS = ['Order', 'Customer', 'Invoice', 'Payment', 'Shipment', 'Product', 'Cart', 'Review', 'Ticket', 'Account'];

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function record(pkg, name) {
  return `package ${pkg};

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** Immutable view of a ${name}. */
public record ${name}Dto(String id, String owner, BigDecimal amount, List<String> tags, long version) {
    public ${name}Dto {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        tags = List.copyOf(tags);
    }

    public ${name}Dto withAmount(BigDecimal next) {
        return new ${name}Dto(id, owner, next, tags, version + 1);
    }
}
`;
}

function repository(pkg, name, methods) {
  const body = Array.from({ length: methods }, (_, i) => `
    /** Finds ${name} entities by attribute ${i}. */
    public Map<String, List<${name}Dto>> findGroupedBy${i}(Collection<String> keys, Function<${name}Dto, String> classifier) {
        Map<String, List<${name}Dto>> out = new HashMap<>();
        for (String key : keys) {
            List<${name}Dto> rows = store.getOrDefault(key, Collections.emptyList());
            for (${name}Dto row : rows) {
                out.computeIfAbsent(classifier.apply(row), k -> new ArrayList<>()).add(row);
            }
        }
        if (out.size() > limit) {
            throw new IllegalStateException("too many groups: " + out.size());
        }
        return out;
    }
`).join('');
  return `package ${pkg};

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

public class ${name}Repository {
    private final Map<String, List<${name}Dto>> store = new ConcurrentHashMap<>();
    private final int limit;

    public ${name}Repository(int limit) {
        this.limit = limit;
    }
${body}}
`;
}

function service(pkg, name, rand) {
  const stamped = rand() < 0.15;
  return `package ${pkg};

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

public class ${name}Service {
    private final ${name}Repository repository;
${stamped ? '    private final long createdAt = System.currentTimeMillis();\n' : ''}
    public ${name}Service(${name}Repository repository) {
        this.repository = repository;
    }

    public Optional<${name}Dto> total(List<${name}Dto> rows, String owner) {
        BigDecimal sum = rows.stream()
            .filter(r -> r.owner().equals(owner))
            .map(${name}Dto::amount)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
        List<String> tags = rows.stream().flatMap(r -> r.tags().stream()).distinct().sorted().collect(Collectors.toList());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ${name}Dto(rows.get(0).id(), owner, sum, tags, 1L));
    }

    public String describe(${name}Dto dto) {
        StringBuilder sb = new StringBuilder();
        sb.append(dto.id()).append(':').append(dto.owner());
        for (String tag : dto.tags()) {
            sb.append('#').append(tag);
        }
        return sb.toString();
    }
}
`;
}

function handler(pkg, name, rand) {
  const bug = rand() < 0.4;
  return `package ${pkg};

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.UUID;

public class ${name}Handler implements RequestHandler<Map<String, String>, String> {
    private final ${name}Service service = new ${name}Service(new ${name}Repository(100));
${bug ? '    private final String instanceId = UUID.randomUUID().toString();\n' : ''}
    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        String requestId = UUID.randomUUID().toString();
        context.getLogger().log(requestId + " " + event.getOrDefault("owner", "none"));
        return ${bug ? 'instanceId' : 'requestId'};
    }
}
`;
}

function util(pkg, i) {
  const lines = Array.from({ length: 25 }, (_, k) => `    public static <K extends Comparable<? super K>, V extends Iterable<? extends Map.Entry<K, List<V2>>>, V2> Map<K, List<V2>> merge${k}(Map<K, List<V2>> left, Map<K, List<V2>> right, BiFunction<List<V2>, List<V2>, List<V2>> combine) { Map<K, List<V2>> out = new TreeMap<>(left); right.forEach((k, v) -> out.merge(k, v, combine)); return out; }`).join('\n');
  return `package ${pkg};

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

public final class Maps${i} {
    private Maps${i}() {}

${lines}
}
`;
}

/** [{ path, text }] of at least `minFiles` files and `minLines` lines. */
export function generateJavaCorpus(minFiles = 2000, minLines = 300_000, seed = 7) {
  const rand = prng(seed);
  const files = [];
  let lines = 0;
  for (let i = 0; files.length < minFiles || lines < minLines; i++) {
    const noun = pick(rand, NOUNS) + i;
    const pkg = `com.example.m${i % 40}`;
    const dir = `src/main/java/${pkg.replaceAll('.', '/')}`;
    const batch = [
      [`${dir}/${noun}Dto.java`, record(pkg, noun)],
      [`${dir}/${noun}Repository.java`, repository(pkg, noun, 4 + Math.floor(rand() * 8))],
      [`${dir}/${noun}Service.java`, service(pkg, noun, rand)],
    ];
    if (rand() < 0.25) batch.push([`${dir}/${noun}Handler.java`, handler(pkg, noun, rand)]);
    if (rand() < 0.15) batch.push([`${dir}/Maps${i}.java`, util(pkg, i)]);
    for (const [path, text] of batch) {
      files.push({ path, text });
      lines += text.split('\n').length;
    }
  }
  return { files, lines };
}

// ---------------------------------------------------------------------------------------------
// The "lambda" profile: code shaped like the main sources of Lambda function repositories, where
// most files mention a clock, an id or a generator somewhere (per-request ids and timestamps,
// TTLs, retry jitter, `Date` fields in models). Scanning public Lambda repositories, the
// pre-filter selected 74 % of main-code files; this profile is built to land near that.

function lambdaHandler(pkg, name, rand) {
  const bug = rand() < 0.3;
  return `package ${pkg};

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;
import java.util.UUID;

public class ${name}Handler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ${name}Service service;
${bug ? '    private final String executionEnvironment = UUID.randomUUID().toString();\n' : ''}
    public ${name}Handler() {
        this.service = new ${name}Service(new ${name}Repository(System.getenv("TABLE_NAME")));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String correlationId = event.getHeaders() == null ? UUID.randomUUID().toString() : event.getHeaders().getOrDefault("x-correlation-id", UUID.randomUUID().toString());
        context.getLogger().log("correlation " + correlationId${bug ? ' + " env " + executionEnvironment' : ''});
        ${name}Request request = ${name}Request.parse(event.getBody());
        ${name}Model saved = service.create(request);
        return new APIGatewayProxyResponseEvent()
            .withStatusCode(201)
            .withHeaders(Map.of("Content-Type", "application/json", "x-correlation-id", correlationId))
            .withBody(saved.toJson());
    }
}
`;
}

function lambdaService(pkg, name) {
  return `package ${pkg};

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

public class ${name}Service {
    private static final long TTL_DAYS = 30;
    private final ${name}Repository repository;

    public ${name}Service(${name}Repository repository) {
        this.repository = repository;
    }

    public ${name}Model create(${name}Request request) {
        ${name}Model model = new ${name}Model();
        model.setId(UUID.randomUUID().toString());
        model.setOwner(request.getOwner());
        model.setCreatedAt(Instant.now());
        model.setExpiresAt(Instant.now().plus(TTL_DAYS, ChronoUnit.DAYS).getEpochSecond());
        repository.save(model);
        return model;
    }

    public List<${name}Model> recent(String owner, int days) {
        Instant since = Instant.now().minus(days, ChronoUnit.DAYS);
        return repository.byOwner(owner).stream()
            .filter(m -> m.getCreatedAt().isAfter(since))
            .sorted((a, b) -> b.getCreatedAt().compareTo(a.getCreatedAt()))
            .collect(Collectors.toList());
    }
}
`;
}

function lambdaRepository(pkg, name) {
  return `package ${pkg};

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class ${name}Repository {
    private final String table;
    private final Map<String, List<${name}Model>> byOwner = new HashMap<>();

    public ${name}Repository(String table) {
        this.table = table;
    }

    public void save(${name}Model model) {
        long writtenAt = System.currentTimeMillis();
        byOwner.computeIfAbsent(model.getOwner(), k -> new ArrayList<>()).add(model);
        if (System.currentTimeMillis() - writtenAt > 1000) {
            System.err.println("slow write to " + table);
        }
    }

    public List<${name}Model> byOwner(String owner) {
        return byOwner.getOrDefault(owner, List.of());
    }
}
`;
}

function lambdaModel(pkg, name, rand) {
  const dateType = rand() < 0.5 ? 'java.util.Date' : 'java.time.Instant';
  const simple = dateType.split('.').at(-1);
  const fields = [['String', 'id'], ['String', 'owner'], [simple, 'createdAt'], ['long', 'expiresAt'], ['String', 'status'], ['int', 'version']];
  const accessors = fields
    .map(([t, f]) => {
      const cap = f[0].toUpperCase() + f.slice(1);
      return `    public ${t} get${cap}() {\n        return ${f};\n    }\n\n    public void set${cap}(${t} ${f}) {\n        this.${f} = ${f};\n    }\n`;
    })
    .join('\n');
  return `package ${pkg};

import ${dateType};

public class ${name}Model {
${fields.map(([t, f]) => `    private ${t} ${f};`).join('\n')}

${accessors}
    public String toJson() {
        return "{\\"id\\":\\"" + id + "\\",\\"owner\\":\\"" + owner + "\\",\\"status\\":\\"" + status + "\\"}";
    }
}
`;
}

function lambdaRequest(pkg, name) {
  return `package ${pkg};

public class ${name}Request {
    private String owner;
    private String note;

    public static ${name}Request parse(String body) {
        ${name}Request r = new ${name}Request();
        if (body != null) {
            int at = body.indexOf("\\"owner\\":\\"");
            r.owner = at < 0 ? "anonymous" : body.substring(at + 9, body.indexOf('"', at + 9));
        }
        return r;
    }

    public String getOwner() {
        return owner;
    }

    public String getNote() {
        return note;
    }
}
`;
}

function lambdaRetry(pkg, i) {
  return `package ${pkg};

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

public final class Retry${i} {
    private Retry${i}() {}

    public static <T> T withBackoff(Supplier<T> call, int attempts) throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                last = e;
                long jitter = ThreadLocalRandom.current().nextLong(50);
                Thread.sleep((1L << attempt) * 100 + jitter);
            }
        }
        throw last;
    }
}
`;
}

/** The "lambda" profile: [{ path, text }] of at least `minFiles` files. */
export function generateLambdaCorpus(minFiles = 2000, seed = 11) {
  const rand = prng(seed);
  const files = [];
  let lines = 0;
  for (let i = 0; files.length < minFiles; i++) {
    const noun = pick(rand, NOUNS) + i;
    const pkg = `com.example.fn${i % 60}`;
    const dir = `functions/fn${i % 60}/src/main/java/${pkg.replaceAll('.', '/')}`;
    const batch = [
      [`${dir}/${noun}Handler.java`, lambdaHandler(pkg, noun, rand)],
      [`${dir}/${noun}Service.java`, lambdaService(pkg, noun)],
      [`${dir}/${noun}Repository.java`, lambdaRepository(pkg, noun)],
      [`${dir}/${noun}Model.java`, lambdaModel(pkg, noun, rand)],
      [`${dir}/${noun}Request.java`, lambdaRequest(pkg, noun)],
    ];
    if (rand() < 0.5) batch.push([`${dir}/Retry${i}.java`, lambdaRetry(pkg, i)]);
    for (const [path, text] of batch) {
      files.push({ path, text });
      lines += text.split('\n').length;
    }
  }
  return { files, lines };
}
