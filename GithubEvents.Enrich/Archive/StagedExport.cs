namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's three files written whole in the staging folder, not yet in the archive: published with
/// <see cref="HourExporter.PublishAsync"/>, or dropped with the files left when disposed.
/// </summary>
public sealed class StagedExport(ExportRecord record, HourCounts counts, ExportedFiles files, string jsonFile, string parquetFile, string manifestFile)
    : IDisposable
{
    public ExportRecord Record => record;

    public HourCounts Counts => counts;

    public ExportedFiles Files => files;

    public string JsonFile => jsonFile;

    public string ParquetFile => parquetFile;

    public string ManifestFile => manifestFile;

    /// <summary>Whether the data files are byte for byte those of <paramref name="export"/>.</summary>
    public bool SameDataAs(ExportRecord export) => files.Json.Sha256 == export.JsonSha256 && files.Parquet.Sha256 == export.ParquetSha256;

    public void Dispose()
    {
        foreach (var file in new[] { jsonFile, parquetFile, manifestFile })
        {
            File.Delete(file);
        }
    }
}
