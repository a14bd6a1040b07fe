using System.Text.RegularExpressions;

namespace Berth.Engine.Containers;

/// <summary>Docker-style container names: an adjective and the surname of a scientist or engineer, <c>brave_lovelace</c>.</summary>
public static partial class NameGenerator
{
    private static readonly string[] Adjectives =
    [
        "agile", "amber", "ardent", "bold", "brave", "bright", "calm", "candid", "clever", "cosmic", "curious", "daring",
        "deft", "eager", "earnest", "elated", "epic", "fervent", "fond", "frosty", "gallant", "gentle", "glad", "happy",
        "hardy", "honest", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid", "merry", "mindful", "modest",
        "nimble", "noble", "patient", "placid", "plucky", "proud", "quiet", "quirky", "rapid", "serene", "sharp", "silent",
        "steady", "sunny", "swift", "tender", "tidy", "upbeat", "vibrant", "vivid", "warm", "wise", "witty", "zesty",
    ];

    private static readonly string[] Surnames =
    [
        "agnesi", "babbage", "bardeen", "bohr", "boole", "cannon", "cerf", "curie", "darwin", "dijkstra", "einstein",
        "euler", "faraday", "fermi", "feynman", "franklin", "galileo", "gauss", "goodall", "hamilton", "hawking",
        "hopper", "hypatia", "johnson", "kepler", "knuth", "lamarr", "lamport", "liskov", "lovelace", "maxwell",
        "meitner", "mendel", "mirzakhani", "newton", "noether", "pascal", "pasteur", "planck", "ramanujan", "ritchie",
        "sagan", "shannon", "somerville", "tesla", "thompson", "torvalds", "turing", "volta", "wozniak", "yalow", "zuse",
    ];

    public static string Generate(int attempt)
    {
        string name = $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Surnames[Random.Shared.Next(Surnames.Length)]}";
        return attempt > 0 ? name + Random.Shared.Next(10) : name;
    }

    /// <summary>Docker's rule for container names: <c>[a-zA-Z0-9][a-zA-Z0-9_.-]+</c>, with an optional leading slash.</summary>
    public static bool IsValid(string name) => ValidName().IsMatch(name);

    [GeneratedRegex(@"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();
}
