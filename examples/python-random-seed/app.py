"""The bug, as AWS's SnapStart documentation shows it: the module seeds `random` at import and
makes a session id there. Under SnapStart import runs once, before the snapshot, so every
restored environment draws the same "random" numbers and reports the same session id."""
import random
import time
import uuid

random.seed(int(time.time() * 1000))
SESSION_ID = str(uuid.uuid4())


def handler(event, context):
    return {
        "sessionId": SESSION_ID,
        "token": "%016x" % random.getrandbits(64),
        # Made after restore from the kernel RNG, which vmgenid reseeded: unique per clone.
        "requestId": str(uuid.uuid4()),
    }
