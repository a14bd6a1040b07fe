using System.Text.Json.Serialization;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>Source-generated JSON for <c>config.json</c>: the OCI schema's camelCase names, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(RuntimeSpec))]
public sealed partial class RuntimeSpecJsonContext : JsonSerializerContext;
