"""docker-py's secrets and configs API against a single-node berthd swarm: create, get, list, filters, a service that
reads both as files, refused removal while in use, removal after.

Run with DOCKER_HOST set.
"""
import socket
import time

import docker

from checks import check


def wait_for(what, condition):
    for _ in range(120):
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    check(what, False, "timed out")


def free_listen_addr():
    """Tests run in parallel, each daemon with its own swarm: none may take the default port 2377."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return "127.0.0.1:%d" % probe.getsockname()[1]


client = docker.from_env(version="auto")
client.swarm.init(advertise_addr="127.0.0.1", listen_addr=free_listen_addr())
try:
    secret = client.secrets.create(name="pysecret", data=b"s3cret", labels={"app": "py"})
    config = client.configs.create(name="pyconfig", data="key=value\n")
    got = client.secrets.get(secret.id)
    check("secret found by id", got.name == "pysecret" and got.attrs["Spec"]["Labels"] == {"app": "py"}, got.attrs)
    check("secret data never returned", "Data" not in got.attrs["Spec"], got.attrs)
    check("config data returned", client.configs.get(config.id).attrs["Spec"]["Data"] == "a2V5PXZhbHVlCg==")
    check("secrets listed by label", [s.name for s in client.secrets.list(filters={"label": "app=py"})] == ["pysecret"])
    check("configs listed by name", [c.name for c in client.configs.list(filters={"name": "pyconf"})] == ["pyconfig"])
    try:
        client.secrets.create(name="pysecret", data=b"again")
        check("a second secret of a name is refused", False)
    except docker.errors.APIError as e:
        check("a second secret of a name is refused", e.status_code == 409 and "already exists" in str(e), str(e))

    service = client.services.create(
        "busybox", ["sleep", "1000"], name="pysecrets", stop_grace_period=10**9,
        secrets=[docker.types.SecretReference(secret.id, "pysecret", filename="token", uid="1", gid="2", mode=0o400)],
        configs=[docker.types.ConfigReference(config.id, "pyconfig", filename="/etc/py.conf")])
    task_container = wait_for("the task runs", lambda: client.containers.list(
        filters={"label": "com.docker.swarm.service.name=pysecrets", "status": "running"}))[0]
    code, output = task_container.exec_run(["sh", "-c", "cat /run/secrets/token; stat -c '%u %g %a' /run/secrets/token; cat /etc/py.conf"])
    check("the task reads the files", code == 0 and output == b"s3cret1 2 400\nkey=value\n", (code, output))
    try:
        secret.remove()
        check("a secret in use is not removed", False)
    except docker.errors.APIError as e:
        check("a secret in use is not removed", e.status_code == 400 and "in use by the following service: pysecrets" in str(e), str(e))
    service.remove()
    check("secret removed once unused", secret.remove() is True)
    check("config removed once unused", config.remove() is True)
    check("none left", client.secrets.list() == [] and client.configs.list() == [])
finally:
    client.swarm.leave(force=True)
print("all ok")
