using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// Exports one hour: streams its events, slice by slice, into the json.gz and Parquet files in the staging folder (side by
/// side, while the next slice is read: <see cref="SideBySideFiles"/>), checks that the rows read are the rows still there
/// (<see cref="HourFingerprint"/>), writes the manifest, then (<see cref="PublishAsync"/>) puts the data files and the
/// manifest last at their keys, and records the export in the database, the commit point. A crash at any step leaves at a
/// key either nothing or a whole file; the hour is exported again, to the same bytes, by the next pass.
/// </summary>
public sealed class HourExporter(ArchiveStore store, ArchiveTarget target, IOptions<ArchiveOptions> options)
{
    /// <summary>The hour's files as <paramref name="revision"/>, or null when its rows changed while they were read (exported again later).</summary>
    public async Task<StagedExport?> StageAsync(ArchiveHour hour, int revision, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target.StagingFolder);
        var prefix = Path.Combine(target.StagingFolder, $"{hour.Name}.r{revision}.{Guid.NewGuid():N}");
        var (jsonFile, parquetFile, manifestFile) = ($"{prefix}.json.gz", $"{prefix}.parquet", $"{prefix}.manifest.json");
        var counts = new HourCounts();
        var read = new HourFingerprint();
        var kept = false;
        try
        {
            FileDigest jsonDigest, parquetDigest;
            Task<(long Events, string Fingerprint)> after;
            Task<HourCapture> capture;
            await using (var files = await SideBySideFiles.CreateAsync(hour, jsonFile, parquetFile, options.Value.RowGroupRows, cancellationToken))
            {
                await foreach (var slice in store.ReadAsync(hour, options.Value.ReadRows, cancellationToken))
                {
                    counts.Add(slice);
                    read.Add(slice);
                    await files.WriteAsync(slice);
                }

                // The rows' fingerprint now, and the capture figures, while the last slices are written.
                after = store.FingerprintAsync(hour, cancellationToken);
                capture = store.CaptureAsync(hour, cancellationToken);
                try
                {
                    (jsonDigest, parquetDigest) = await files.CompleteAsync();
                }
                finally
                {
                    // Both statements end here, whatever the files did, and none of their failures goes unobserved.
                    await Task.WhenAll(after, capture).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }

            var (events, fingerprint) = await after;
            if (fingerprint != read.ToString() || counts.Events != events)
            {
                return null;
            }

            await HourManifest.WriteAsync(manifestFile, hour, revision, counts, await capture, jsonDigest, parquetDigest, cancellationToken);
            var manifestDigest = await FileDigest.OfAsync(manifestFile, hour.ManifestKey, cancellationToken);
            var record = new ExportRecord(hour, revision, events, fingerprint, jsonDigest.Sha256, parquetDigest.Sha256);
            kept = true;
            return new StagedExport(record, counts, new ExportedFiles(jsonDigest, parquetDigest, manifestDigest), jsonFile, parquetFile, manifestFile);
        }
        finally
        {
            if (!kept)
            {
                File.Delete(jsonFile);
                File.Delete(parquetFile);
                File.Delete(manifestFile);
            }
        }
    }

    /// <summary>Puts the staged files at their keys, the manifest last, and records the export.</summary>
    public async Task PublishAsync(StagedExport staged, CancellationToken cancellationToken)
    {
        await target.PutAsync(staged.JsonFile, staged.Files.Json.Key, cancellationToken);
        await target.PutAsync(staged.ParquetFile, staged.Files.Parquet.Key, cancellationToken);
        await target.PutAsync(staged.ManifestFile, staged.Files.Manifest.Key, cancellationToken);
        await store.RecordAsync(staged.Record, staged.Files, staged.Counts.AsRecord(), cancellationToken);
    }
}
