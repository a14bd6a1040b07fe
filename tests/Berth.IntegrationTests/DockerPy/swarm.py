"""docker-py's swarm API against a single-node berthd swarm: init, services in both modes, scaling, tasks, leave.

Run with DOCKER_HOST set. docker-py sends the service mode as {"replicated": ...}, in lower case.
"""
import socket
import time

import docker

from checks import check


def wait_for(what, condition):
    for _ in range(120):
        if condition():
            return True
        time.sleep(0.25)
    check(what, False, "timed out")


def free_listen_addr():
    """Tests run in parallel, each daemon with its own swarm: none may take the default port 2377."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return "127.0.0.1:%d" % probe.getsockname()[1]


client = docker.from_env(version="auto")
node_id = client.swarm.init(advertise_addr="127.0.0.1", listen_addr=free_listen_addr())
try:
    check("init answers the node id", len(node_id) == 25)
    check("swarm attrs", client.swarm.attrs["Spec"]["Orchestration"]["TaskHistoryRetentionLimit"] == 5)
    check("one manager node", [n.attrs["Spec"]["Role"] for n in client.nodes.list()] == ["manager"])

    service = client.services.create("busybox", ["sleep", "1000"], name="pysvc",
                                     mode=docker.types.ServiceMode("replicated", replicas=2), stop_grace_period=10**9)

    def running(svc, count):
        return len([t for t in svc.tasks(filters={"desired-state": "running"}) if t["Status"]["State"] == "running"]) == count

    wait_for("two replicas run", lambda: running(service, 2))
    service.reload()
    check("mode kept under its canonical name", service.attrs["Spec"]["Mode"] == {"Replicated": {"Replicas": 2}}, service.attrs["Spec"]["Mode"])
    service.scale(3)
    wait_for("scaled to three", lambda: running(service, 3))
    check("tasks are containers", len(client.containers.list(filters={"label": "com.docker.swarm.service.name=pysvc"})) == 3)

    everywhere = client.services.create("busybox", ["sleep", "1000"], name="pyglobal", mode="global", stop_grace_period=10**9)
    wait_for("a global service runs once on the node", lambda: running(everywhere, 1))
    check("services listed", sorted(s.name for s in client.services.list()) == ["pyglobal", "pysvc"])
    everywhere.remove()
    service.remove()
    check("services removed", client.services.list() == [])
finally:
    client.swarm.leave(force=True)
check("left the swarm", client.info()["Swarm"]["LocalNodeState"] == "inactive")
print("all ok")
