using AlexNet.Realtime.Overlay.Presenters;
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

        var relative = input.Name.Replace("../", "", StringComparison.Ordinal).TrimStart('/');
        var target = Path.GetFullPath(Path.Combine(directory, relative));
        if (!input.IsImage && !Path.GetExtension(target).Equals(".avi", StringComparison.OrdinalIgnoreCase))
        {
            target = Path.ChangeExtension(target, ".mp4");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return new Annotation(target, input.IsImage, fps);
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
