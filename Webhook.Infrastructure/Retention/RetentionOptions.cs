using System.ComponentModel.DataAnnotations;

namespace Webhook.Infrastructure.Retention;

/// <summary>How long stored data is kept, and how <see cref="StorageMaintenance"/> works through it.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Raw requests older than this (by received_at) are deleted, unless still pending.</summary>
    [Range(1, 36_500)]
    public int RawRequestRetentionDays { get; set; } = 30;

    /// <summary>Events older than this (by created_at) go with their monthly partition, once all of it is that old.</summary>
    [Range(1, 36_500)]
    public int EventRetentionDays { get; set; } = 90;

    /// <summary>Rows one DELETE removes: short statements keep locks and WAL bursts small.</summary>
    [Range(1, 100_000)]
    public int DeleteBatchSize { get; set; } = 1000;

    /// <summary>How often the job runs (it also runs at start-up).</summary>
    [Range(0.01, 1440)]
    public double IntervalMinutes { get; set; } = 10;

    /// <summary>Monthly event partitions made ahead of the current month, so inserts never fall back to DEFAULT.</summary>
    [Range(1, 24)]
    public int PartitionMonthsAhead { get; set; } = 2;
}
