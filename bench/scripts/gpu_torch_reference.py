"""PyTorch's AlexNet on the same GPU, for bench/README.md's "GPU" figures (run by gpu-check.sh).

Two timings, each the median of 500 after 50 warm-up, synchronized every iteration as a live loop is:
the network alone on a normalized tensor already on the GPU, and a 640x480 uint8 BGR frame from host
memory to the top-5 on the host (upload, torchvision's resize with antialias, crop, normalize,
network, softmax, top-k), which is what `alexnet-rt profile` times as its inference stage.
Float32 throughout, then with TF32 allowed (PyTorch's default for cuDNN convolutions).
"""
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision


def median_ms(fn, warmup=50, runs=500):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    dev = torch.device("cuda")
    torch.manual_seed(1)
    model = torchvision.models.alexnet().eval().to(dev)
    mean = torch.tensor([0.485, 0.456, 0.406], device=dev).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225], device=dev).view(1, 3, 1, 1)
    x = torch.randn(1, 3, 224, 224, device=dev)
    frame = torch.randint(0, 256, (480, 640, 3), dtype=torch.uint8).pin_memory()

    def network():
        with torch.inference_mode():
            return model(x)

    def frame_to_top5():
        with torch.inference_mode():
            f = frame.to(dev, non_blocking=True).permute(2, 0, 1).flip(0).unsqueeze(0).float()
            r = F.interpolate(f, size=(256, 341), mode="bilinear", antialias=True, align_corners=False)
            c = (r[:, :, 16:240, 58:282] / 255 - mean) / std
            top = model(c).softmax(1).topk(5)
            return top.values.cpu(), top.indices.cpu()

    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, {torch.cuda.get_device_name(0)}")
    for tf32 in (False, True):
        torch.backends.cudnn.allow_tf32 = tf32
        torch.backends.cuda.matmul.allow_tf32 = tf32
        print(f"pytorch eager, {'tf32' if tf32 else 'fp32'}: network alone p50 {median_ms(network):.3f} ms; "
              f"640x480 host frame to top-5 p50 {median_ms(frame_to_top5):.3f} ms")


if __name__ == "__main__":
    main()
