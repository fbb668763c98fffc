namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's completeness as <c>v_capture_by_hour</c> gives it: the capture estimate and its 95% interval (null unless
/// both the live poller and GH Archive delivered events of the hour), and what the pipeline recorded as lost.
/// </summary>
public sealed record HourCapture(
    double? EstimatedEvents,
    double? EstimateLow,
    double? EstimateHigh,
    double? LiveShare,
    long MissedPolls,
    long UndeliveredMinutes,
    long KafkaGaps,
    long KafkaGapOffsets);
