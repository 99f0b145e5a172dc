using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.Overlay.Presenters;
using AlexNet.Realtime.CommandLine;
using OpenCvSharp;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// The annotated copy of one input: a video of the same size and rate for a video, an image for
/// an image, under the annotated folder at the input's name. Written beside the target under a
/// temporary name and renamed when complete. Owns its writer.
/// </summary>
internal sealed class Annotation : IDisposable
{
    private readonly string _target;
    private readonly VideoFilePresenter? _video;
    private Mat? _image;

    private Annotation(string target, bool isImage, double fps)
    {
        _target = target;
        if (!isImage)
        {
            _video = new VideoFilePresenter(target, fps);
        }
    }

    public static Annotation? For(string? directory, LabelInput input, double fps)
    {
        if (directory is null)
        {
            return null;
        }

        var target = TargetFor(directory, input);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return new Annotation(target, input.IsImage, fps);
    }

    /// <summary>Where the annotated copy of <paramref name="input"/> goes: the input's name under the folder (a video as .mp4 unless .avi).</summary>
    public static string TargetFor(string directory, LabelInput input)
    {
        var relative = input.Name.Replace("../", "", StringComparison.Ordinal).TrimStart('/');
        var target = Path.GetFullPath(Path.Combine(directory, relative));
        return !input.IsImage && !Path.GetExtension(target).Equals(".avi", StringComparison.OrdinalIgnoreCase)
            ? Path.ChangeExtension(target, ".mp4")
            : target;
    }

    /// <summary>
    /// Refuses, before any work, a folder whose annotated copies would replace an input (say
    /// <c>--annotated .</c> beside the videos), the output, or one another.
    /// </summary>
    /// <exception cref="Commands.AppException">Which input's copy would land on what.</exception>
    public static void CheckTargets(string? directory, IReadOnlyList<LabelInput> inputs, string output)
    {
        if (directory is null)
        {
            return;
        }

        var taken = new Dictionary<string, string>(OutputCheck.PathComparer)
        {
            [Path.GetFullPath(output)] = "the output",
            [Path.GetFullPath(LabelRunInfo.PathFor(output))] = "the output's side file",
        };
        foreach (var input in inputs)
        {
            taken.TryAdd(Path.GetFullPath(input.Path), $"the input {input.Name}");
        }

        // By identity too: a copy's name may be a link to an input, or the folder a link to theirs.
        var identities = new Dictionary<FileIdentity, string>();
        foreach (var input in inputs)
        {
            if (FileIdentity.Of(input.Path) is { } identity)
            {
                identities.TryAdd(identity, $"the input {input.Name}");
            }
        }

        var targets = new Dictionary<string, string>(OutputCheck.PathComparer);
        foreach (var input in inputs)
        {
            var target = TargetFor(directory, input);
            if (taken.TryGetValue(target, out var what) || targets.TryGetValue(target, out what)
                || (FileIdentity.Of(target) is { } existing && identities.TryGetValue(existing, out what)))
            {
                throw new Commands.AppException($"--annotated {directory}: the annotated copy of {input.Name} would be written over {(what.StartsWith("the ", StringComparison.Ordinal) ? what : $"the annotated copy of {what}")} ({target}); choose another folder");
            }

            targets[target] = input.Name;
        }
    }

    public void Write(Mat frame)
    {
        if (_video is not null)
        {
            _video.Present(frame);
            return;
        }

        _image ??= new Mat();
        frame.CopyTo(_image);
    }

    /// <summary>Finishes the copy under its name.</summary>
    /// <exception cref="OutputWriteException">It could not be written whole (a full disk): nothing is left under its name.</exception>
    public void Complete()
    {
        if (_video is not null)
        {
            try
            {
                _video.Complete();
            }
            catch (IOException e) when (e is not OutputWriteException)
            {
                throw new OutputWriteException($"--annotated: {OutputWriteException.Reason(e)}", e);
            }

            return;
        }

        if (_image is null)
        {
            return;
        }

        // Encoded in memory and written by this process, so a short write is an error and not
        // a truncated image that OpenCV's encoder reported as written.
        if (!Cv2.ImEncode(Path.GetExtension(_target), _image, out var encoded))
        {
            throw new OutputWriteException($"--annotated {_target}: cannot encode the annotated image as {Path.GetExtension(_target)}");
        }

        OutputFile.Write(_target, encoded, "--annotated");
    }

    public void Dispose()
    {
        _video?.Dispose();
        _image?.Dispose();
    }
}
