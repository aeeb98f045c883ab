package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.crac.Core;
import org.crac.Resource;

/**
 * The fix: a CRaC resource whose afterRestore makes the instance id again and reseeds the PRNG
 * from SecureRandom (the kernel RNG, which vmgenid reseeded) in every restored environment.
 * The handler registers itself: the runtime keeps the handler instance, so the resource stays
 * reachable. CRaC holds resources weakly, and an object referenced by nothing else would be
 * collected and its hooks would silently never run.
 */
public class UuidHandlerFixed implements RequestHandler<Map<String, Object>, Map<String, String>>, Resource {
  private static UUID instanceId = UUID.randomUUID();
  private static final Random RANDOM = new Random();

  public UuidHandlerFixed() {
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {}

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    instanceId = UUID.randomUUID();
    RANDOM.setSeed(new SecureRandom().nextLong());
  }

  @Override
  public Map<String, String> handleRequest(Map<String, Object> event, Context context) {
    Map<String, String> out = new HashMap<>();
    out.put("instanceId", instanceId.toString());
    out.put("token", String.format("%016x", RANDOM.nextLong()));
    out.put("requestUuid", UUID.randomUUID().toString());
    return out;
  }
}
