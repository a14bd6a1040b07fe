using Berth.Engine.Images;
using Berth.Oci.Errors;
using Berth.Oci.Images;

namespace Berth.Tests.Engine;

public sealed class ChangeInstructionsTests
{
    [Fact]
    public void Applies_the_instructions_import_accepts()
    {
        var config = new ImageRuntimeConfig();
        ChangeInstructions.Apply(config,
        [
            "CMD [\"sh\"]", "ENTRYPOINT echo hi", "ENV A=1 B=\"two words\"", "ENV C 3", "LABEL k=v",
            "EXPOSE 80 53/udp", "VOLUME /data", "USER nobody", "WORKDIR /srv", "STOPSIGNAL SIGINT",
        ]);
        Assert.Equal(["sh"], config.Cmd!);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], config.Entrypoint!);
        Assert.Equal(["A=1", "B=two words", "C=3"], config.Env!);
        Assert.Equal("v", config.Labels!["k"]);
        Assert.True(config.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.True(config.ExposedPorts!.ContainsKey("53/udp"));
        Assert.True(config.Volumes!.ContainsKey("/data"));
        Assert.Equal("nobody", config.User);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("SIGINT", config.StopSignal);
    }

    [Fact]
    public void Env_replaces_an_earlier_value()
    {
        var config = new ImageRuntimeConfig { Env = ["A=1"] };
        ChangeInstructions.Apply(config, ["ENV A=2"]);
        Assert.Equal(["A=2"], config.Env!);
    }

    [Fact]
    public void Refuses_unknown_instructions()
    {
        var error = Assert.Throws<BerthException>(() => ChangeInstructions.Apply(new ImageRuntimeConfig(), ["RUN rm -rf /"]));
        Assert.Equal("run is not a valid change command", error.Message);
    }
}
