using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>
/// ONNX Runtime's optimized graph of a model, kept on disk for this machine so that later starts
/// load it instead of optimizing again (CPU only).
/// </summary>
/// <remarks>
/// <para>
/// ONNX Runtime's CPU optimizer rewrites convolutions into its blocked NCHWc kernels and reorders
/// their weights at every session start. For the converter's models, whose fully connected layers
/// are 1x1 convolutions (see <c>DenseOps</c> in the converter), that is 244 MB of weights: 2-core
/// machine, full-size model, session start 6.6 s optimizing against 2.2 s loading the optimized
/// graph (which runs at the same speed). The optimized graph holds kernels chosen for this CPU's
/// vector width, so it is kept per machine, never shipped: ONNX Runtime's <c>optimized_model_filepath</c>
/// writes it, as its documentation recommends for start-up time.
/// </para>
/// <para>
/// An entry's name holds a hash of the model's bytes, the ONNX Runtime version and the CPU's
/// name and vector instruction sets, so a changed model, a new ONNX Runtime or another CPU
/// (a copied home folder, a migrated VM) never loads a stale graph. Entries are written to a
/// temporary name and renamed, so a crash leaves no half-written entry; a newer entry for the
/// same model path replaces the older ones, and at most <see cref="MaxEntries"/> are kept.
/// </para>
/// <para>
/// Each entry has a checksum beside it (<see cref="ChecksumSuffix"/>: XXH128 of its bytes,
/// written at commit): an entry damaged on disk without changing its size would otherwise load
/// as a graph with wrong weights. An entry whose checksum is missing or differs is rebuilt.
/// </para>
/// <para>
/// An entry or checksum that is not a regular file (a FIFO, or a symlink to <c>/dev/zero</c>)
/// counts as damaged and is never opened: hashing a device never ends, opening a FIFO blocks until
/// someone writes to it. The rule is the one for models and weights (<c>Shared/RegularFile</c>).
/// </para>
/// </remarks>
public sealed class OptimizedModelCache
{
    /// <summary>Environment variable: a folder for the cache, or <c>off</c>.</summary>
    public const string EnvironmentVariable = "ALEXNET_RT_MODEL_CACHE";

    /// <summary>Entries kept (each about as large as its model); the least recently used go first.</summary>
    public const int MaxEntries = 4;

    /// <summary>Appended to an entry's path for the file holding its checksum.</summary>
    public const string ChecksumSuffix = ".xxh128";

    /// <summary>The most bytes of a checksum file read: it holds 32 hex digits, so anything longer is damage, not a checksum.</summary>
    public const int MaxChecksumBytes = 64;

    // Bumped when what an entry holds changes meaning.
    private const string FormatVersion = "1";

    public OptimizedModelCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>
    /// The folder <c>ALEXNET_RT_MODEL_CACHE</c> names, null when it says <c>off</c>; else the user's
    /// cache folder (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c> on Linux, local application data on Windows).
    /// </summary>
    public static string? DefaultDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim() is "off" or "0" or "none" ? null : configured;
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "alexnet-rt", "model-cache");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg : string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache");
        return root is null ? null : Path.Combine(root, "alexnet-rt", "models");
    }

    /// <summary>The entries kept and their size in bytes (none when the folder does not exist yet).</summary>
    public (int Entries, long Bytes) Usage()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return (0, 0);
        }

        var entries = new DirectoryInfo(Directory).EnumerateFiles("*.onnx").ToList();
        return (entries.Count, entries.Sum(f => f.Length));
    }

    /// <summary>Where this model's optimized graph is or would be kept.</summary>
    /// <param name="variant">
    /// Null for the model's whole graph; a name (letters) for a graph derived from it, such as
    /// <see cref="NetworkVariant"/>: kept beside the whole graph's entry, not in its place.
    /// </param>
    /// <exception cref="IOException">The model can't be read.</exception>
    public string EntryFor(string modelPath, string? variant = null)
    {
        if (variant is not null && (variant.Length == 0 || !variant.All(char.IsAsciiLetterLower)))
        {
            throw new ArgumentException($"a cache variant is lower-case letters, got '{variant}'", nameof(variant));
        }

        var full = Path.GetFullPath(modelPath);
        return Path.Combine(Directory, $"{Prefix(full, variant)}{ContentKey(full, variant)}.onnx");
    }

    /// <summary>The variant of a model's network alone, cut at its crop_levels tensor (see <c>NetworkGraph</c>).</summary>
    public const string NetworkVariant = "network";

    /// <summary>A fresh temporary name in the cache folder (which it creates) for ONNX Runtime to write an entry to.</summary>
    /// <exception cref="IOException">The folder can't be made or written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder can't be written.</exception>
    public string NewTemporary()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $".writing-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");

        // ONNX Runtime fails the whole session when it can't write the graph: find out first.
        using (File.Create(path, 1, FileOptions.None))
        {
        }

        return path;
    }

    /// <summary>
    /// Moves a written entry into place and removes the older entries of the same model path, the
    /// least recently used entries beyond <see cref="MaxEntries"/>, and temporary files left by runs
    /// that died (older than a day).
    /// </summary>
    public void Commit(string temporary, string entry)
    {
        // The checksum first, under its own temporary name: a crash between the two moves leaves
        // a checksum that matches no entry, which means a rebuild, never a damaged entry used.
        var checksum = Path.Combine(Directory, $".writing-{Environment.ProcessId}-{Guid.NewGuid():N}.sum");
        try
        {
            File.WriteAllText(checksum, Checksum(temporary));
            File.Move(checksum, entry + ChecksumSuffix, overwrite: true);
        }
        finally
        {
            TryDelete(checksum);
        }

        File.Move(temporary, entry, overwrite: true);
        var samePath = PrefixOf(entry);
        var kept = new List<FileInfo>();
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
        {
            if (file.Name.StartsWith(".writing-", StringComparison.Ordinal))
            {
                if (file.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1))
                {
                    TryDelete(file.FullName);
                }
            }
            else if (file.Name.EndsWith(ChecksumSuffix, StringComparison.Ordinal))
            {
                if (!File.Exists(file.FullName[..^ChecksumSuffix.Length]))
                {
                    TryDelete(file.FullName);
                }
            }
            else if (file.Name.EndsWith(".onnx", StringComparison.Ordinal))
            {
                if (file.Name.StartsWith(samePath, StringComparison.Ordinal) && file.FullName != entry)
                {
                    TryDelete(file.FullName);
                }
                else
                {
                    kept.Add(file);
                }
            }
        }

        foreach (var file in kept.OrderByDescending(f => f.LastWriteTimeUtc).Skip(MaxEntries))
        {
            TryDelete(file.FullName);
        }
    }

    /// <summary>
    /// True when the entry's bytes match the checksum kept at commit; false when they differ, or
    /// when either can't be read (an entry written before checksums were kept included), or either
    /// is not a regular file (checked before opening it, so that a FIFO never blocks the open).
    /// </summary>
    public static bool IsIntact(string entry)
    {
        var checksum = entry + ChecksumSuffix;
        if (InputFiles.NotARegularFile(entry) is not null || InputFiles.NotARegularFile(checksum) is not null)
        {
            return false;
        }

        try
        {
            var kept = ReadChecksum(checksum);
            return kept is { Length: > 0 } && string.Equals(kept, Checksum(entry), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // At most MaxChecksumBytes are read, whatever the file says its size is; null when it holds more.
    private static string? ReadChecksum(string path)
    {
        var buffer = new byte[MaxChecksumBytes + 1];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        return read > MaxChecksumBytes ? null : Encoding.ASCII.GetString(buffer, 0, read).Trim();
    }

    // XXH128, as for the model's own bytes (ContentKey): the checksum catches damage, not an attacker.
    private static string Checksum(string path)
    {
        var hash = new XxHash128();
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            hash.Append(stream);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>Records that an entry was used (its write time), so that it is among the last to go.</summary>
    public static void MarkUsed(string entry)
    {
        try
        {
            File.SetLastWriteTimeUtc(entry, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a read-only cache still serves; it just forgets the order of use
        }
    }

    /// <summary>Removes a file of the cache (an entry with its checksum), quietly: a cache that can't be tidied still works.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            if (path.EndsWith(".onnx", StringComparison.Ordinal))
            {
                File.Delete(path + ChecksumSuffix);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left for the next commit's tidying
        }
    }

    // The model's file name (readable in a listing) and a hash of its full path (two models of
    // one name in different folders keep an entry each).
    // A variant follows the name after a dot, which a name never holds, so that no prefix is the
    // start of another's (Commit removes the entries that start with the new one's prefix).
    private static string Prefix(string fullPath, string? variant)
    {
        var name = new string(Path.GetFileNameWithoutExtension(fullPath).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray());
        return $"{name}{(variant is null ? "" : "." + variant)}-{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(fullPath)), 4)}-";
    }

    private static string PrefixOf(string entry)
    {
        var name = Path.GetFileName(entry);
        return name[..(name.LastIndexOf('-') + 1)];
    }

    // The model's bytes are hashed at every start, so with XXH128, several times faster than
    // SHA-256 (bench/README.md, "Figures behind design choices").
    // A cryptographic hash would not protect more: whoever can write a model that collides with
    // one run before could as well write the cache folder.
    private static string ContentKey(string fullPath, string? variant)
    {
        var hash = new XxHash128();
        using (var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            hash.Append(stream);
        }

        var model = hash.GetCurrentHash();

        var context = Encoding.UTF8.GetBytes($"{FormatVersion}|{(variant is null ? "" : variant + "|")}{OrtEnv.Instance().GetVersionString()}|{Machine()}");
        return Hex(SHA256.HashData([.. model, .. context]), 12);
    }

    /// <summary>What the optimized graph depends on besides the model: the CPU and the vector instructions ONNX Runtime picks kernels by.</summary>
    internal static string Machine()
    {
        var isa = new[]
        {
            ("avx2", Avx2.IsSupported), ("fma", Fma.IsSupported), ("avx512f", Avx512F.IsSupported), ("avx512bw", Avx512BW.IsSupported),
            ("avxvnni", AvxVnni.IsSupported), ("advsimd", AdvSimd.IsSupported), ("dp", AdvSimd.Arm64.IsSupported && Dp.IsSupported),
        };
        return string.Join(',', new[] { RuntimeInformation.ProcessArchitecture.ToString(), HardwareInfo.CpuName() }
            .Concat(isa.Where(f => f.Item2).Select(f => f.Item1)));
    }

    private static string Hex(byte[] bytes, int count) => Convert.ToHexString(bytes, 0, count).ToLower(CultureInfo.InvariantCulture);
}
