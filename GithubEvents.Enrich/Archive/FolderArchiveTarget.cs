using System.Runtime.InteropServices;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// The archive in a folder: a file is staged in <c>.staging</c> below the root, on the same file system, flushed to disk,
/// then renamed to its key, which replaces the file there in one step; the folder that holds it is flushed too, so that
/// the rename outlives a power cut.
/// </summary>
public sealed partial class FolderArchiveTarget : ArchiveTarget
{
    private const int ReadOnly = 0;

    private readonly string _root;

    public FolderArchiveTarget(string path)
    {
        _root = System.IO.Path.GetFullPath(path);
        StagingFolder = System.IO.Path.Combine(_root, ".staging");
    }

    public override string Location => _root;

    public override string StagingFolder { get; }

    public override Task PutAsync(string stagedFile, string key, CancellationToken cancellationToken)
    {
        using (var staged = new FileStream(stagedFile, FileMode.Open, FileAccess.ReadWrite))
        {
            staged.Flush(flushToDisk: true);
        }

        var final = PathOf(key);
        var folder = System.IO.Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(folder);
        File.Move(stagedFile, final, overwrite: true);
        FlushFolder(folder);
        return Task.CompletedTask;
    }

    private string PathOf(string key) => System.IO.Path.Combine(_root, key.Replace('/', System.IO.Path.DirectorySeparatorChar));

    // .NET opens no directory as a file, which fsync needs.
    private static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open the archive folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush the archive folder {folder} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
