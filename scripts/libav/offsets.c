/*
 * Prints the offsets of the FFmpeg struct fields that the libav reader reads (those no public
 * function gives; src/Capture/Readers/Libav/LibavLayout.cs says why each), for the FFmpeg whose
 * headers it is compiled against:
 *   gcc -I<prefix>/include scripts/libav/offsets.c -o offsets && ./offsets
 * scripts/libav/check-ffmpeg.sh builds an FFmpeg release and runs this on it.
 */
#include <stddef.h>
#include <stdio.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>

#define P(s, f) printf("%-40s %zu\n", #s "." #f, offsetof(s, f))

int main(void)
{
    printf("libavformat %d, libavcodec %d, libavutil %d, libswscale %d\n",
           LIBAVFORMAT_VERSION_MAJOR, LIBAVCODEC_VERSION_MAJOR, LIBAVUTIL_VERSION_MAJOR, LIBSWSCALE_VERSION_MAJOR);
    P(AVFormatContext, nb_streams);
    P(AVFormatContext, streams);
    P(AVStream, index);
    P(AVStream, time_base);
    P(AVStream, start_time);
    P(AVStream, duration);
    P(AVStream, nb_frames);
    P(AVStream, avg_frame_rate);
    P(AVStream, codecpar);
    P(AVCodecParameters, codec_type);
#if LIBAVCODEC_VERSION_MAJOR > 60
    /* FFmpeg 7 and later: the display matrix is in codecpar's coded side data. */
    P(AVCodecParameters, coded_side_data);
    P(AVCodecParameters, nb_coded_side_data);
    P(AVPacketSideData, data);
    P(AVPacketSideData, size);
#endif
    P(AVPacket, stream_index);
    P(AVFrame, linesize);
    P(AVFrame, width);
    P(AVFrame, height);
    P(AVFrame, format);
    P(AVFrame, best_effort_timestamp);
    printf("AV_PIX_FMT_YUV420P %d, AV_PIX_FMT_YUVJ420P %d, AV_PIX_FMT_BGR24 %d, AVMEDIA_TYPE_VIDEO %d, AVCOL_RANGE_JPEG %d, AV_PKT_DATA_DISPLAYMATRIX %d, SWS_BICUBIC %d\n",
           AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_BGR24, AVMEDIA_TYPE_VIDEO, AVCOL_RANGE_JPEG, AV_PKT_DATA_DISPLAYMATRIX, SWS_BICUBIC);
    return 0;
}
