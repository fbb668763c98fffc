using System.Text.Json.Serialization;
using GithubEvents.Enrich.Consuming;

namespace GithubEvents.Enrich.Storage;

/// <summary>The JSON columns of <c>pipeline_minutes</c>, in snake case as the table's other columns.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(List<PartitionLag>))]
internal sealed partial class PipelineJson : JsonSerializerContext;
