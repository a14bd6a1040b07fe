namespace Berth.Cli.Build;

/// <summary>
/// A directory build context and where its Dockerfile is, resolved as docker's GetContextFromLocalDir does: the
/// context with its symlinks evaluated; -f relative to the current directory (not to the context); without -f,
/// PATH/Dockerfile (or PATH/dockerfile when only that exists). A Dockerfile outside the context is read by the client
/// and added to the context under a random name.
/// </summary>
/// <param name="DockerfileInContext">The Dockerfile's path inside the context (forward slashes), or null when it comes from
/// outside: <paramref name="OutsideDockerfile"/> (an absolute path) or stdin (<c>-f -</c>).</param>
public sealed record LocalContext(string Root, string? DockerfileInContext, string? OutsideDockerfile)
{
    public const string DefaultDockerfileName = "Dockerfile";

    /// <param name="dockerfileFlag">-f as given; "-" means the Dockerfile comes from stdin.</param>
    public static LocalContext Resolve(string contextPath, string? dockerfileFlag)
    {
        string root = ResolveRoot(contextPath);
        if (dockerfileFlag == "-")
            return new LocalContext(root, null, null);
        string dockerfile;
        if (!string.IsNullOrEmpty(dockerfileFlag))
        {
            dockerfile = Path.GetFullPath(dockerfileFlag);
        }
        else
        {
            dockerfile = Path.Join(root, DefaultDockerfileName);
            // docker's courtesy: a lowercase "dockerfile" is used when it is the only one there.
            string lowercase = Path.Join(root, DefaultDockerfileName.ToLowerInvariant());
            if (!Exists(dockerfile) && Exists(lowercase))
                dockerfile = lowercase;
        }
        try
        {
            dockerfile = NativePaths.Resolve(dockerfile);
        }
        catch (FileNotFoundException e)
        {
            throw new CliException($"unable to prepare context: unable to evaluate symlinks in Dockerfile path: {e.Message}");
        }
        string relative = Path.GetRelativePath(root, dockerfile);
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal))
            return new LocalContext(root, null, dockerfile);
        return new LocalContext(root, relative, null);
    }

    private static string ResolveRoot(string contextPath)
    {
        string absolute = Path.GetFullPath(contextPath);
        string root;
        try
        {
            root = NativePaths.Resolve(absolute);
        }
        catch (FileNotFoundException e)
        {
            throw new CliException($"unable to prepare context: unable to evaluate symlinks in context path: {e.Message}");
        }
        if (!Directory.Exists(root))
            throw new CliException($"unable to prepare context: context must be a directory: {root}");
        return root;
    }

    private static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
