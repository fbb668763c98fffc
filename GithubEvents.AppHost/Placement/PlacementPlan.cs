using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Where the broker and the database run, decided once at start: on an existing server when its connection string is
/// configured, else in a container when a container runtime answers (always when publishing), else on this machine;
/// <c>AppHost:Mode</c> forces the choice for the pieces without a connection string.
/// </summary>
public sealed class PlacementPlan
{
    private readonly Dictionary<string, (PiecePlacement Placement, string Reason)> _pieces = [];

    public static async Task<PlacementPlan> DecideAsync(IDistributedApplicationBuilder builder, params string[] connectionNames)
    {
        var setting = builder.Configuration["AppHost:Mode"];
        var mode = AppHostMode.Auto;
        if (!string.IsNullOrWhiteSpace(setting) && (!Enum.TryParse(setting, ignoreCase: true, out mode) || !Enum.IsDefined(mode)))
        {
            throw new DistributedApplicationException($"AppHost:Mode must be Containers or Local (or unset: containers when a container runtime answers); it is '{setting}'.");
        }

        var missing = connectionNames.Where(name => string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name))).ToList();
        // The runtime is asked only when its answer decides something.
        var answers = builder.ExecutionContext.IsRunMode && mode == AppHostMode.Auto && missing.Count > 0
            && await ContainerRuntimeCheck.AnswersAsync(builder.Configuration, CancellationToken.None);
        var plan = new PlacementPlan { ContainersForced = builder.ExecutionContext.IsRunMode && mode == AppHostMode.Containers && missing.Count > 0 };
        foreach (var name in connectionNames)
        {
            plan._pieces[name] = !missing.Contains(name) ? (PiecePlacement.Existing, $"ConnectionStrings:{name} is set")
                : !builder.ExecutionContext.IsRunMode ? (PiecePlacement.Container, "a deployment runs containers")
                : mode == AppHostMode.Containers ? (PiecePlacement.Container, "AppHost:Mode is Containers")
                : mode == AppHostMode.Local ? (PiecePlacement.Local, "AppHost:Mode is Local")
                : answers ? (PiecePlacement.Container, $"the container runtime '{ContainerRuntimeCheck.Runtime(builder.Configuration)}' answers")
                : (PiecePlacement.Local, "no container runtime answers");
        }

        return plan;
    }

    /// <summary>Containers placed by <c>AppHost:Mode=Containers</c> in a run, without asking the container runtime.</summary>
    public bool ContainersForced { get; private init; }

    public PiecePlacement this[string connectionName] => _pieces[connectionName].Placement;

    /// <summary>One line a piece: where it runs and why.</summary>
    public IEnumerable<string> Describe() =>
        _pieces.Select(piece => $"{piece.Key}: {Describe(piece.Value.Placement)}, because {piece.Value.Reason}");

    private static string Describe(PiecePlacement placement) => placement switch
    {
        PiecePlacement.Existing => "an existing server",
        PiecePlacement.Container => "a container",
        _ => "this machine, without a container",
    };
}
