namespace Berth.Engine.Runtime.Bundle;

/// <summary>A --device: a host device node (or a directory of them) made available in the container.</summary>
public sealed record DeviceMapping(string PathOnHost, string PathInContainer = "", string CgroupPermissions = "rwm");
