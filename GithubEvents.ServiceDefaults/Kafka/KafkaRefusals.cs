using Confluent.Kafka;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>Which producer errors are Kafka refusing a message for good, so that sending it again cannot succeed.</summary>
public static class KafkaRefusals
{
    /// <summary>The message is over the producer's <c>message.max.bytes</c> or the topic's <c>max.message.bytes</c>.</summary>
    public static bool IsTooLarge(Error error) => error.Code is ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge;

    public static bool IsPermanent(Error error) =>
        IsTooLarge(error)
        || error.Code is ErrorCode.InvalidMsg or ErrorCode.InvalidRecord or ErrorCode.Local_BadMsg or ErrorCode.TopicAuthorizationFailed
            or ErrorCode.PolicyViolation or ErrorCode.TopicException or ErrorCode.UnsupportedForMessageFormat;
}
