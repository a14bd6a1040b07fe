using Berth.Build.Context;
using Berth.Build.Execution;
using Berth.Oci.Errors;

namespace Berth.Tests.Build;

public sealed class CopyPlanTests
{
    private static readonly ContextSource File1 = new("/ctx/a.txt", "a.txt", false);
    private static readonly ContextSource File2 = new("/ctx/b.txt", "b.txt", false);
    private static readonly ContextSource Dir = new("/ctx/dir", "dir", true);

    // An image with /usr/local/bin and /etc/passwd (a file).
    private static ImagePathKind Image(string path) => path switch
    {
        "/" or "/usr" or "/usr/local" or "/usr/local/bin" or "/etc" => ImagePathKind.Directory,
        "/etc/passwd" => ImagePathKind.Other,
        _ => ImagePathKind.Missing,
    };

    [Fact]
    public void A_file_to_a_new_path_is_written_as_that_path_its_parents_made()
    {
        var plan = CopyPlan.Create("COPY", [(File1, false)], "/opt/app/config", Image);

        Assert.Equal("/", plan.ExtractAt);
        Assert.Equal(["/opt", "/opt/app"], plan.NewDirectories);
        Assert.Equal("/opt/app/config", Assert.Single(plan.Items).Target);
        Assert.Equal("opt/app/config", plan.RelativeToExtractAt("/opt/app/config"));
    }

    [Fact]
    public void A_file_to_an_existing_directory_or_a_trailing_slash_keeps_its_name()
    {
        var existing = CopyPlan.Create("COPY", [(File1, false)], "/usr/local/bin", Image);
        var slash = CopyPlan.Create("COPY", [(File1, false)], "/usr/local/new/", Image);

        Assert.Equal("/usr/local/bin/a.txt", Assert.Single(existing.Items).Target);
        Assert.Equal("/usr/local/bin", existing.ExtractAt);
        Assert.Empty(existing.NewDirectories);
        Assert.Equal("/usr/local/new/a.txt", Assert.Single(slash.Items).Target);
        Assert.Equal(["/usr/local/new"], slash.NewDirectories);
        Assert.Equal("/usr/local", slash.ExtractAt);
    }

    [Fact]
    public void A_directory_gives_its_contents_and_an_archive_is_unpacked_into_the_destination()
    {
        var plan = CopyPlan.Create("ADD", [(Dir, false), (File2, true)], "/srv/", Image);

        Assert.All(plan.Items, item => Assert.Equal("/srv", item.Target));
        Assert.True(plan.Items[0].IsDirectory);
        Assert.True(plan.Items[1].IsArchive);
        Assert.Equal(["/srv"], plan.NewDirectories);
    }

    [Fact]
    public void Several_sources_need_a_directory_destination_ending_in_a_slash()
    {
        var error = Assert.Throws<BerthException>(() => CopyPlan.Create("COPY", [(File1, false), (File2, false)], "/usr/local/bin", Image));

        Assert.Equal("When using COPY with more than one source file, the destination must be a directory and end with a /", error.Message);
        var plan = CopyPlan.Create("COPY", [(File1, false), (File2, false)], "/usr/local/bin/", Image);
        Assert.Equal(["/usr/local/bin/a.txt", "/usr/local/bin/b.txt"], plan.Items.Select(i => i.Target));
    }

    [Fact]
    public void A_file_in_the_way_of_a_directory_is_an_error()
    {
        var error = Assert.Throws<BerthException>(() => CopyPlan.Create("COPY", [(File1, false)], "/etc/passwd/x/", Image));

        Assert.Contains("/etc/passwd: it exists and is not a directory", error.Message);
    }

    [Fact]
    public void A_WORKDIR_plan_makes_the_missing_directories_and_copies_nothing()
    {
        var plan = CopyPlan.Create("WORKDIR", [], "/usr/local/app/sub/", Image);

        Assert.Equal("/usr/local", plan.ExtractAt);
        Assert.Equal(["/usr/local/app", "/usr/local/app/sub"], plan.NewDirectories);
        Assert.Empty(plan.Items);
    }

    [Theory]
    [InlineData("/a/../b/./c/", "/b/c")]
    [InlineData("/", "/")]
    [InlineData("/..", "/")]
    [InlineData("x//y", "/x/y")]
    public void Destinations_are_cleaned_as_Go_cleans_them(string path, string cleaned) =>
        Assert.Equal(cleaned, CopyPlan.CleanAbsolute(path));
}
