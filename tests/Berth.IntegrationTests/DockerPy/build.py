"""docker-py (Debian's python3-docker) builds images against a daemon: from a directory, from a gzip'd tar it made
itself, with build args, labels and a target, and sees a failing RUN as a BuildError; a built image saves and loads
back.

Run with DOCKER_HOST set; prints one line per check and exits non-zero at the first failure.
"""
import io
import os
import shutil
import tarfile
import tempfile

import docker

from checks import check


client = docker.from_env(version="auto")
suffix = os.urandom(4).hex()
context = tempfile.mkdtemp()
tags = []
try:
    with open(os.path.join(context, "Dockerfile"), "w") as f:
        f.write("FROM busybox AS base\nARG WHO=nobody\nCOPY hello.txt /\nRUN echo \"$WHO: $(cat /hello.txt)\" > /out\n"
                "FROM base\nCMD [\"cat\", \"/out\"]\n")
    with open(os.path.join(context, "hello.txt"), "w") as f:
        f.write("hello")
    tag = f"py-build-{suffix}:1"
    tags.append(tag)
    image, logs = client.images.build(path=context, tag=tag, buildargs={"WHO": "py"}, labels={"via": "docker-py"}, rm=True)
    lines = "".join(entry.get("stream", "") for entry in logs)
    check("build from a directory", tag in image.tags, lines)
    check("build output streamed", "Step 1/7 : FROM busybox AS base" in lines and "Step 7/7 : LABEL via=docker-py" in lines
          and "Successfully built" in lines, lines)
    check("label from the build", image.labels.get("via") == "docker-py", str(image.labels))
    check("image runs", client.containers.run(tag, remove=True) == b"py: hello\n")
    loaded = client.images.load(b"".join(image.save()))
    check("built image saves and loads back (load's progress stream parsed)", any(tag in i.tags for i in loaded), str(loaded))

    target = f"py-build-{suffix}:base"
    tags.append(target)
    base, _ = client.images.build(path=context, tag=target, target="base")
    check("target stops at its stage", base.attrs["Config"]["Cmd"] == ["sh"], str(base.attrs["Config"]["Cmd"]))

    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        dockerfile = b"FROM busybox\nRUN echo gz > /gz\n"
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(dockerfile)
        tar.addfile(info, io.BytesIO(dockerfile))
    archive.seek(0)
    gz = f"py-build-{suffix}:gz"
    tags.append(gz)
    image, _ = client.images.build(fileobj=archive, custom_context=True, encoding="gzip", tag=gz)
    check("build from a gzip'd tar", client.containers.run(gz, "cat /gz", remove=True) == b"gz\n")

    try:
        client.images.build(fileobj=io.BytesIO(b"FROM busybox\nRUN exit 7\n"), rm=True)
        check("failing RUN raises", False, "no error")
    except docker.errors.BuildError as e:
        check("failing RUN raises", "returned a non-zero code: 7" in str(e), str(e))

    print("all ok")
finally:
    shutil.rmtree(context)
    for t in tags:
        try:
            client.images.remove(t, force=True)
        except docker.errors.APIError:
            pass
