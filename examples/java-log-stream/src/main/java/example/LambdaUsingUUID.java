package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.logs.AWSLogsClient;
import com.amazonaws.services.logs.model.CreateLogStreamRequest;
import java.util.Map;
import java.util.UUID;

/** The SnapStart article's example: a sandbox id made in the constructor names the log stream. */
public class LambdaUsingUUID implements RequestHandler<Map<String, String>, String> {

    private final AWSLogsClient logs;
    private final UUID sandboxId;

    public LambdaUsingUUID() {
        sandboxId = UUID.randomUUID(); // <-- unique content created during init
        logs = new AWSLogsClient();
    }

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        CreateLogStreamRequest request = new CreateLogStreamRequest("myLogGroup", sandboxId + ".log9.txt");
        logs.createLogStream(request);
        return "Hello world!";
    }
}
