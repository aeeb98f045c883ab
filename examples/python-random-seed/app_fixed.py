"""The fix: an after-restore hook (snapshot-restore-py, run by AWS's Python runtime interface
client in every restored environment) makes the session id again and reseeds `random` from
os.urandom (the kernel RNG, which vmgenid reseeded)."""
import os
import random
import time
import uuid

from snapshot_restore_py import register_after_restore

random.seed(int(time.time() * 1000))
SESSION_ID = str(uuid.uuid4())


@register_after_restore
def renew_after_restore():
    global SESSION_ID
    random.seed(os.urandom(32))
    SESSION_ID = str(uuid.uuid4())


def handler(event, context):
    return {
        "sessionId": SESSION_ID,
        "token": "%016x" % random.getrandbits(64),
        "requestId": str(uuid.uuid4()),
    }
