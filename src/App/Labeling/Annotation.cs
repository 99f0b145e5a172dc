using AlexNet.Realtime.Overlay.Presenters;
using AlexNet.Realtime.WeightConverter.Cli;
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

        var targets = new Dictionary<string, string>(OutputCheck.PathComparer);
        foreach (var input in inputs)
        {
            var target = TargetFor(directory, input);
            if (taken.TryGetValue(target, out var what) || targets.TryGetValue(target, out what))
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

    public void Complete()
    {
        if (_video is not null)
        {
            _video.Complete();
            return;
        }

        if (_image is null)
        {
            return;
        }

        var temp = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileNameWithoutExtension(_target)}.partial{Path.GetExtension(_target)}");
        if (!Cv2.ImWrite(temp, _image))
        {
            throw new IOException($"{_target}: cannot write the annotated image");
        }

        File.Move(temp, _target, overwrite: true);
    }

    public void Dispose()
    {
        _video?.Dispose();
        _image?.Dispose();
    }
}
