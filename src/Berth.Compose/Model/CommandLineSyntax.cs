using Berth.Compose.Model.Reading;

namespace Berth.Compose.Model;

/// <summary>
/// The file's short syntax where a command line takes it too (<c>compose run -p 8080:80 -v ./data:/data</c>), read by
/// the same parsers, so a flag and the file never disagree.
/// </summary>
public static class CommandLineSyntax
{
    /// <summary>A <c>-p</c> value: one port or a range, each a <see cref="ServicePort"/>.</summary>
    public static IReadOnlyList<ServicePort> Ports(string spec) => PortSyntax.ParseShort(spec, "publish");

    /// <summary>
    /// A <c>-v</c> value. Host paths resolve against the project directory, as in the file; a volume name that the
    /// project does not declare is taken as an engine volume of that name.
    /// </summary>
    public static ServiceVolume Volume(string spec, ComposeProject project, Func<string, string?> lookup)
    {
        var context = new ModelReaderContext(project.Name, project.WorkingDirectory, project.ConfigFiles, project.Profiles, lookup);
        var none = new HashSet<string>(StringComparer.Ordinal);
        var scope = new ProjectScope(context, none, none, new HashSet<string>(project.Volumes.Keys, StringComparer.Ordinal), none, none);
        return VolumeSyntax.ParseShort(spec, "volume", scope);
    }
}
