using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Where the broker and the database run, decided once at start: on an existing server when its connection string is
/// configured, else in a container when a container runtime answers (always when publishing), else on this machine;
/// <c>AppHost:Mode</c> forces the choice for the pieces without a connection string. Grafana runs in its container wherever
/// containers can, else from this machine's Grafana install, if it has one.
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
        var run = builder.ExecutionContext.IsRunMode;
        // Asked once, in every run that does not force containers: Grafana follows the answer even where no piece does.
        var answers = run && mode != AppHostMode.Containers && await ContainerRuntimeCheck.AnswersAsync(builder.Configuration, CancellationToken.None);
        var plan = new PlacementPlan
        {
            ContainersForced = run && mode == AppHostMode.Containers,
            ContainersRun = !run || mode == AppHostMode.Containers || answers,
            ContainersReason = !run ? "a deployment runs containers"
                : mode == AppHostMode.Containers ? "AppHost:Mode is Containers"
                : answers ? $"the container runtime '{ContainerRuntimeCheck.Runtime(builder.Configuration)}' answers"
                : "no container runtime answers",
        };
        foreach (var name in connectionNames)
        {
            plan._pieces[name] = !missing.Contains(name) ? (PiecePlacement.Existing, $"ConnectionStrings:{name} is set")
                : mode == AppHostMode.Local ? (PiecePlacement.Local, "AppHost:Mode is Local")
                : plan.ContainersRun ? (PiecePlacement.Container, plan.ContainersReason)
                : (PiecePlacement.Local, plan.ContainersReason);
        }

        return plan;
    }

    /// <summary>Containers placed by <c>AppHost:Mode=Containers</c> in a run, without asking the container runtime.</summary>
    public bool ContainersForced { get; private init; }

    /// <summary>Whether containers run: always in a deployment; in a run, where forced or where the runtime answers.</summary>
    public bool ContainersRun { get; private init; }

    /// <summary>Why containers run or not, for the start-up log.</summary>
    public string ContainersReason { get; private init; } = "";

    /// <summary>Whether every piece is on an existing server.</summary>
    public bool AllExisting => _pieces.Values.All(piece => piece.Placement == PiecePlacement.Existing);

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
