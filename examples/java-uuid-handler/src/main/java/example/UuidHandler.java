package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The bug: an instance id and a PRNG made while the class initializes. With SnapStart that is
 * once, before the snapshot: every execution environment restored from it reports the same
 * instance id and draws the same "random" sequence.
 */
public class UuidHandler implements RequestHandler<Map<String, Object>, Map<String, String>> {
  private static final UUID INSTANCE_ID = UUID.randomUUID();
  private static final Random RANDOM = new Random();

  @Override
  public Map<String, String> handleRequest(Map<String, Object> event, Context context) {
    Map<String, String> out = new HashMap<>();
    out.put("instanceId", INSTANCE_ID.toString());
    out.put("token", String.format("%016x", RANDOM.nextLong()));
    // Made after restore from the kernel's RNG, which vmgenid reseeded: unique per clone.
    out.put("requestUuid", UUID.randomUUID().toString());
    return out;
  }
}
