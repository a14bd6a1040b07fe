using Berth.Engine.Distribution.Auth;

namespace Berth.Tests.Distribution;

public class AuthChallengeTests
{
    [Fact]
    public void Bearer_challenge_of_Docker_Hub()
    {
        var challenge = Assert.Single(AuthChallenge.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\""));
        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/busybox:pull", challenge.Scope);
    }

    [Fact]
    public void Several_challenges_in_one_header_and_case_insensitive_names()
    {
        var challenges = AuthChallenge.Parse("Basic realm=\"Registry Realm\", BEARER Realm=\"http://127.0.0.1:1/token\", Service=reg");
        Assert.Equal(2, challenges.Count);
        Assert.True(challenges[0].IsBasic);
        Assert.Equal("Registry Realm", challenges[0].Realm);
        Assert.True(challenges[1].IsBearer);
        Assert.Equal("http://127.0.0.1:1/token", challenges[1].Realm);
        Assert.Equal("reg", challenges[1].Service);
    }

    [Fact]
    public void Quoted_values_keep_commas_and_escapes()
    {
        var challenge = Assert.Single(AuthChallenge.Parse("Bearer realm=\"https://a/token\",scope=\"repository:a:pull,push\",error=\"insufficient_scope\",note=\"say \\\"hi\\\"\""));
        Assert.Equal("repository:a:pull,push", challenge.Scope);
        Assert.Equal("insufficient_scope", challenge.Error);
        Assert.Equal("say \"hi\"", challenge.Parameters["note"]);
    }

    [Fact]
    public void Multiple_header_values_and_garbage_are_tolerated()
    {
        var challenges = AuthChallenge.Parse(["Basic realm=\"x\"", "Bearer realm=\"y\"", "", ",,,", "Negotiate dXNlcg=="]);
        Assert.Equal(["Basic", "Bearer", "Negotiate"], challenges.Select(c => c.Scheme));
        Assert.Empty(challenges[2].Parameters);
    }

    [Fact]
    public void Scheme_without_parameters()
    {
        var challenge = Assert.Single(AuthChallenge.Parse("Basic"));
        Assert.True(challenge.IsBasic);
        Assert.Null(challenge.Realm);
    }
}
