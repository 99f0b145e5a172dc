using System.Reflection;
using System.Runtime.InteropServices;

namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// Whether the native libraries under the managed packages load on this machine, and if one does
/// not, which library it lacks and the line that installs it: said once, before any model is
/// read or converted, instead of a type initializer's exception deep inside the first call.
/// </summary>
internal static class NativeRuntimes
{
    /// <summary>A library another one links, and the Debian package that has it.</summary>
    internal readonly record struct Dependency(string Library, string Package);

    /// <summary>
    /// What OpenCvSharp's Linux library links beyond glibc and libstdc++ (its ELF NEEDED entries),
    /// with Debian's packages; GTK's own libraries come with libgtk-3-0.
    /// </summary>
    internal static readonly Dependency[] OpenCvLinuxDependencies =
    [
        new("libatomic.so.1", "libatomic1"),
        new("libgtk-3.so.0", "libgtk-3-0"),
        new("libgdk-3.so.0", "libgtk-3-0"),
        new("libpangocairo-1.0.so.0", "libpangocairo-1.0-0"),
        new("libpango-1.0.so.0", "libpango-1.0-0"),
        new("libatk-1.0.so.0", "libatk1.0-0"),
        new("libcairo-gobject.so.2", "libcairo-gobject2"),
        new("libcairo.so.2", "libcairo2"),
        new("libgdk_pixbuf-2.0.so.0", "libgdk-pixbuf-2.0-0"),
        new("libgio-2.0.so.0", "libglib2.0-0"),
        new("libgobject-2.0.so.0", "libglib2.0-0"),
        new("libglib-2.0.so.0", "libglib2.0-0"),
        new("libfreetype.so.6", "libfreetype6"),
        new("libharfbuzz.so.0", "libharfbuzz0b"),
        new("libdrm.so.2", "libdrm2"),
        new("libX11.so.6", "libx11-6"),
    ];

    private static readonly Lazy<string?> OpenCv = new(() =>
        Problem("OpenCV", "OpenCvSharpExtern", typeof(OpenCvSharp.Mat).Assembly, OperatingSystem.IsLinux() ? OpenCvLinuxDependencies : []));

    private static readonly Lazy<string?> OnnxRuntime = new(() =>
        Problem("ONNX Runtime", "onnxruntime", typeof(Microsoft.ML.OnnxRuntime.OrtEnv).Assembly, []));

    /// <summary>Why OpenCV's native library can't load here (one line with the fix), or null when it loads.</summary>
    public static string? OpenCvProblem => OpenCv.Value;

    /// <summary>Why ONNX Runtime's native library can't load here, or null when it loads.</summary>
    public static string? OnnxRuntimeProblem => OnnxRuntime.Value;

    /// <summary>Throws the one-line problem of the first native runtime that can't load.</summary>
    public static void EnsureLoadable()
    {
        if ((OpenCvProblem ?? OnnxRuntimeProblem) is { } problem)
        {
            throw new AppException(problem);
        }
    }

    /// <summary>
    /// Whether an exception is a native library failing to load (a type initializer over a
    /// DllImport, or the import itself), wherever it was thrown from.
    /// </summary>
    public static bool IsLoadFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The problem to tell for a load failure: the runtime that can't load, else the failure's own words.</summary>
    public static string Describe(Exception e)
    {
        if ((OpenCvProblem ?? OnnxRuntimeProblem) is { } known)
        {
            return known;
        }

        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return $"a native library cannot load: {Inference.ErrorText.FirstLine(inner.Message)}";
    }

    /// <summary>
    /// Loads the library as the managed package would; if that fails, names the dependencies this
    /// machine lacks (each tried by its own name) and their packages, else the loader's own words.
    /// </summary>
    internal static string? Problem(string what, string library, Assembly owner, IReadOnlyList<Dependency> dependencies)
    {
        if (NativeLibrary.TryLoad(library, owner, null, out var handle))
        {
            // Loaded once; the process keeps it, as the package's first call would.
            return null;
        }

        var missing = MissingDependencies(dependencies);
        if (missing.Count > 0)
        {
            var packages = string.Join(' ', missing.Select(d => d.Package).Distinct(StringComparer.Ordinal));
            return $"{what}'s native library cannot load: this machine lacks {string.Join(", ", missing.Select(d => d.Library))}; install it: sudo apt-get install -y --no-install-recommends {packages}";
        }

        try
        {
            handle = NativeLibrary.Load(library, owner, null);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            var fix = OperatingSystem.IsWindows() ? " (on Windows it needs the Microsoft Visual C++ Redistributable, x64)" : "";
            return $"{what}'s native library cannot load: {Inference.ErrorText.FirstLine(e.Message)}{fix}";
        }
    }

    /// <summary>The dependencies that don't load by their own names, in the order given.</summary>
    internal static List<Dependency> MissingDependencies(IReadOnlyList<Dependency> dependencies)
    {
        var missing = new List<Dependency>();
        foreach (var dependency in dependencies)
        {
            if (NativeLibrary.TryLoad(dependency.Library, out var loaded))
            {
                NativeLibrary.Free(loaded);
            }
            else
            {
                missing.Add(dependency);
            }
        }

        return missing;
    }
}
