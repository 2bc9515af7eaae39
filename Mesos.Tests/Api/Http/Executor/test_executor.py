#!/usr/bin/env python3
"""A custom executor written only from Mesos' executor HTTP API documentation (executor-http-api.md), with the
Python standard library. It subscribes to the agent at MESOS_AGENT_ENDPOINT, answers each LAUNCH with TASK_RUNNING
then TASK_FINISHED (each with a fresh uuid, kept until ACKNOWLEDGED), each LAUNCH_GROUP likewise for every task of the
group, answers KILL with TASK_KILLED, echoes each
MESSAGE back to its framework, and exits on SHUTDOWN. Every event it receives is logged to stdout (the sandbox's stdout file) as 'EVENT <TYPE> ...'."""

import base64
import http.client
import json
import os
import sys
import time
import uuid

AGENT = os.environ["MESOS_AGENT_ENDPOINT"]
FRAMEWORK_ID = os.environ["MESOS_FRAMEWORK_ID"]
EXECUTOR_ID = os.environ["MESOS_EXECUTOR_ID"]
HOST, PORT = AGENT.rsplit(":", 1)

unacknowledged = {}  # uuid (base64) -> update


def log(line):
    print(line, flush=True)


def call(body):
    """Any call but SUBSCRIBE: a POST of its own; the agent answers 202 Accepted."""
    connection = http.client.HTTPConnection(HOST, int(PORT), timeout=30)
    connection.request("POST", "/api/v1/executor", json.dumps(body),
                       {"Content-Type": "application/json", "Accept": "application/json"})
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    if response.status != 202:
        log("CALL %s answered %d %s" % (body["type"], response.status, text))
    return response.status


def update(task_id, state):
    status = {
        "task_id": {"value": task_id},
        "state": state,
        "source": "SOURCE_EXECUTOR",
        "executor_id": {"value": EXECUTOR_ID},
        "timestamp": time.time(),
        "uuid": base64.b64encode(uuid.uuid4().bytes).decode(),
    }
    unacknowledged[status["uuid"]] = {"status": status}
    log("UPDATE %s %s" % (task_id, state))
    call({
        "executor_id": {"value": EXECUTOR_ID},
        "framework_id": {"value": FRAMEWORK_ID},
        "type": "UPDATE",
        "update": {"status": status},
    })


def events(response):
    """RecordIO: '<length>\\n' then <length> bytes of JSON, repeated."""
    while True:
        header = b""
        while not header.endswith(b"\n"):
            byte = response.read(1)
            if not byte:
                return
            header += byte
        length = int(header.decode().strip())
        data = b""
        while len(data) < length:
            chunk = response.read(length - len(data))
            if not chunk:
                return
            data += chunk
        yield json.loads(data.decode())


def main():
    log("ENV MESOS_DIRECTORY=%s" % os.environ.get("MESOS_DIRECTORY"))
    log("ENV MESOS_SANDBOX=%s" % os.environ.get("MESOS_SANDBOX"))
    log("ENV MESOS_AGENT_ENDPOINT=%s" % AGENT)
    log("ENV MESOS_CHECKPOINT=%s MESOS_HTTP_COMMAND_EXECUTOR=%s MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=%s" % (
        os.environ.get("MESOS_CHECKPOINT"), os.environ.get("MESOS_HTTP_COMMAND_EXECUTOR"),
        os.environ.get("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD")))
    connection = http.client.HTTPConnection(HOST, int(PORT), timeout=600)
    connection.request("POST", "/api/v1/executor", json.dumps({
        "executor_id": {"value": EXECUTOR_ID},
        "framework_id": {"value": FRAMEWORK_ID},
        "type": "SUBSCRIBE",
        "subscribe": {"unacknowledged_tasks": [], "unacknowledged_updates": list(unacknowledged.values())},
    }), {"Content-Type": "application/json", "Accept": "application/json", "Connection": "close"})
    response = connection.getresponse()
    if response.status != 200:
        log("SUBSCRIBE answered %d %s" % (response.status, response.read().decode()))
        return 1

    for event in events(response):
        kind = event.get("type")
        if kind == "SUBSCRIBED":
            subscribed = event["subscribed"]
            log("EVENT SUBSCRIBED executor=%s framework=%s agent=%s" % (
                subscribed["executor_info"]["executor_id"]["value"],
                subscribed["framework_info"]["id"]["value"],
                subscribed["agent_info"]["id"]["value"]))
        elif kind == "LAUNCH":
            task_id = event["launch"]["task"]["task_id"]["value"]
            log("EVENT LAUNCH %s" % task_id)
            update(task_id, "TASK_RUNNING")
            update(task_id, "TASK_FINISHED")
        elif kind == "LAUNCH_GROUP":
            tasks = [t["task_id"]["value"] for t in event["launch_group"]["task_group"]["tasks"]]
            log("EVENT LAUNCH_GROUP %s" % " ".join(tasks))
            for task_id in tasks:
                update(task_id, "TASK_RUNNING")
            for task_id in tasks:
                update(task_id, "TASK_FINISHED")
        elif kind == "ACKNOWLEDGED":
            acknowledged = event["acknowledged"]
            done = unacknowledged.pop(acknowledged["uuid"], None)
            state = done["status"]["state"] if done else "UNKNOWN"
            log("EVENT ACKNOWLEDGED %s %s" % (acknowledged["task_id"]["value"], state))
        elif kind == "KILL":
            task_id = event["kill"]["task_id"]["value"]
            log("EVENT KILL %s" % task_id)
            update(task_id, "TASK_KILLED")
        elif kind == "MESSAGE":
            text = base64.b64decode(event["message"]["data"]).decode(errors="replace")
            log("EVENT MESSAGE %s" % text)
            # Answers each framework message with one of its own, so the way back is exercised too.
            call({
                "executor_id": {"value": EXECUTOR_ID},
                "framework_id": {"value": FRAMEWORK_ID},
                "type": "MESSAGE",
                "message": {"data": base64.b64encode(("echo " + text).encode()).decode()},
            })
        elif kind == "ERROR":
            log("EVENT ERROR %s" % event["error"]["message"])
        elif kind == "SHUTDOWN":
            log("EVENT SHUTDOWN")
            return 0
        else:
            log("EVENT %s" % kind)
    log("DISCONNECTED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
