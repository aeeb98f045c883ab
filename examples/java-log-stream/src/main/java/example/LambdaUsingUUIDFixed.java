package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.logs.AWSLogsClient;
import com.amazonaws.services.logs.model.CreateLogStreamRequest;
import java.util.Map;
import java.util.UUID;
import org.crac.Core;
import org.crac.Resource;

/** Fixed: the sandbox id is re-created after every restore by a registered CRaC resource. */
public class LambdaUsingUUIDFixed implements RequestHandler<Map<String, String>, String>, Resource {

    private final AWSLogsClient logs;
    private UUID sandboxId;

    public LambdaUsingUUIDFixed() {
        sandboxId = UUID.randomUUID();
        logs = new AWSLogsClient();
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        sandboxId = UUID.randomUUID();
    }

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        CreateLogStreamRequest request = new CreateLogStreamRequest("myLogGroup", sandboxId + ".log9.txt");
        logs.createLogStream(request);
        return "Hello world!";
    }
}
