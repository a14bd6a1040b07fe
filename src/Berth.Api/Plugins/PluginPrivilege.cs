namespace Berth.Api;

/// <summary>
/// One thing a plugin asks of the host before it is installed (GET /plugins/privileges), and what a client grants when
/// it sends the list back with POST /plugins/pull or /plugins/{name}/upgrade.
/// </summary>
public sealed class PluginPrivilege
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public List<string> Value { get; set; } = [];
}
