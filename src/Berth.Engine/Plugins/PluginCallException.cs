namespace Berth.Engine.Plugins;

/// <summary>
/// A plugin call that failed, worded as dockerd words it: "VolumeDriver.Create: MESSAGE" for an error answer, the
/// plugin's own "Err" for a 200 answer carrying one, or Go's dial error when the plugin can't be reached. Callers put
/// the object in front ("create NAME: …").
/// </summary>
public sealed class PluginCallException(string message, Exception? inner = null) : Exception(message, inner);
