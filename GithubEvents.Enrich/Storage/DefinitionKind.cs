namespace GithubEvents.Enrich.Storage;

/// <summary>What a <see cref="Definition"/> creates.</summary>
public enum DefinitionKind
{
    View,
    Function,
    Procedure,
}
