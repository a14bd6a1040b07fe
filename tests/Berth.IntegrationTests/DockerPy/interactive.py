"""docker-py (Debian's python3-docker) drives exec, attach sockets, the archive API and commit against a daemon.

Run with DOCKER_HOST set; prints one line per check and exits non-zero at the first failure.
"""
import io
import os
import socket
import tarfile
import time

import docker

from checks import check


client = docker.from_env(version="auto")
api = client.api
suffix = os.urandom(4).hex()
created = []
try:
    c = client.containers.run("busybox", ["sh", "-c", "mkdir -p /data && echo seed > /data/seed && sleep 600"],
                              detach=True, name=f"berth-py-{suffix}")
    created.append(c)
    for _ in range(100):
        if c.exec_run(["test", "-e", "/data/seed"]).exit_code == 0:
            break
        time.sleep(0.05)

    # exec: output, exit code, environment, working directory, user
    result = c.exec_run(["sh", "-c", "echo out; echo err >&2; exit 3"])
    check("exec exit code", result.exit_code == 3, result)
    check("exec output", b"out" in result.output and b"err" in result.output, result.output)
    result = c.exec_run(["sh", "-c", "echo $GREETING $(pwd) $(id -u)"], environment={"GREETING": "hi"}, workdir="/data", user="1")
    check("exec env, workdir, user", result.output == b"hi /data 1\n", result.output)
    result = c.exec_run(["sh", "-c", "echo a; echo b >&2"], demux=True)
    check("exec demux", result.output == (b"a\n", b"b\n"), result.output)
    exec_id = api.exec_create(c.id, ["sh", "-c", "exit 7"])["Id"]
    api.exec_start(exec_id)
    inspected = api.exec_inspect(exec_id)
    check("exec inspect", inspected["ExitCode"] == 7 and inspected["Running"] is False, inspected)

    # attach with a socket: stdin in, output back
    interactive = client.containers.run("busybox", ["cat"], detach=True, stdin_open=True, name=f"berth-py-cat-{suffix}")
    created.append(interactive)
    sock = interactive.attach_socket(params={"stdin": 1, "stdout": 1, "stream": 1})
    raw = sock._sock if hasattr(sock, "_sock") else sock
    raw.sendall(b"hello through the socket\n")
    raw.settimeout(10)
    received = b""
    deadline = time.time() + 10
    while b"hello through the socket" not in received and time.time() < deadline:
        chunk = raw.recv(4096)
        if not chunk:
            break
        received += chunk
    check("attach socket echoes stdin", b"hello through the socket" in received, received)
    raw.shutdown(socket.SHUT_WR)
    sock.close()

    # put_archive / get_archive
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        payload = b"put by docker-py\n"
        info = tarfile.TarInfo("put.txt")
        info.size = len(payload)
        info.mode = 0o640
        tar.addfile(info, io.BytesIO(payload))
    check("put_archive", c.put_archive("/data", data.getvalue()) is True)
    check("file is in the container", c.exec_run(["cat", "/data/put.txt"]).output == b"put by docker-py\n")
    stream, stat = c.get_archive("/data")
    check("get_archive stat", stat["name"] == "data" and stat["mode"] & 0x80000000, stat)
    archive = io.BytesIO(b"".join(stream))
    with tarfile.open(fileobj=archive) as tar:
        names = sorted(tar.getnames())
        check("get_archive content", names == ["data", "data/put.txt", "data/seed"], names)
        member = tar.getmember("data/put.txt")
        check("get_archive keeps the mode", member.mode & 0o777 == 0o640, oct(member.mode))
        check("get_archive data", tar.extractfile(member).read() == b"put by docker-py\n")
    try:
        c.get_archive("/no/such/path")
        check("get_archive of a missing path fails", False)
    except docker.errors.NotFound:
        check("get_archive of a missing path is NotFound", True)

    # commit: the new image runs and has the container's changes
    image = c.commit(repository=f"berth-py-commit-{suffix}", tag="1", message="by docker-py", author="py",
                     changes=['CMD ["cat", "/data/put.txt"]'])
    try:
        check("commit author and comment", image.attrs["Author"] == "py" and image.attrs["Comment"] == "by docker-py", image.attrs)
        out = client.containers.run(image.id, remove=True)
        check("committed image runs with the changes", out == b"put by docker-py\n", out)
    finally:
        client.images.remove(image.id, force=True)
finally:
    for container in created:
        try:
            container.remove(force=True)
        except docker.errors.APIError:
            pass
print("all ok")
