namespace AlexNet.Realtime.Capture;

/// <summary>What a <c>--source</c> names.</summary>
public enum SourceKind
{
    Camera,
    VideoFile,
    ImageFile,
    ImageFolder,
    ImageGlob,
    Stream,
    Synthetic,
}
