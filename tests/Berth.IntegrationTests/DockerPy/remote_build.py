"""docker-py builds from a URL: client.images.build(path=URL) sends it as remote=, and the daemon downloads the context.

Run with DOCKER_HOST and REMOTE_CONTEXT_URL (a context tar whose image prints its a.txt) set.
"""
import os

import docker

from checks import check


client = docker.from_env(version="auto")
tag = f"py-remote-{os.urandom(4).hex()}:1"
try:
    image, logs = client.images.build(path=os.environ["REMOTE_CONTEXT_URL"], tag=tag, rm=True)
    lines = "".join(entry.get("stream", "") for entry in logs)
    check("build from a URL", tag in image.tags, lines)
    check("build output streamed", "Step 1/3 : FROM busybox" in lines and "Successfully built" in lines, lines)
    check("image runs with the downloaded file", client.containers.run(tag, remove=True) == b"docker-py remote\n")
finally:
    try:
        client.images.remove(tag, force=True)
    except docker.errors.APIError:
        pass
print("all ok")
