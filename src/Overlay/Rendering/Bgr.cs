namespace AlexNet.Realtime.Overlay.Rendering;

/// <summary>A colour in OpenCV's channel order.</summary>
public readonly record struct Bgr(byte B, byte G, byte R)
{
    public static readonly Bgr White = new(255, 255, 255);
    public static readonly Bgr Black = new(0, 0, 0);
    public static readonly Bgr Grey = new(170, 170, 170);
    public static readonly Bgr Green = new(90, 210, 90);
    public static readonly Bgr Amber = new(40, 190, 255);
    public static readonly Bgr Red = new(40, 40, 220);
    public static readonly Bgr Blue = new(230, 160, 60);
}
