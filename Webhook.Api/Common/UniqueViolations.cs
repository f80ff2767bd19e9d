using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Webhook.Api.Common;

/// <summary>
/// Unique-index violations mapped by constraint name to what the caller did wrong. A violation of any other
/// unique index (say, a random id colliding) is not the caller's doing: it stays unmapped and becomes a 500.
/// </summary>
internal static class UniqueViolations
{
    /// <summary>The name is taken in the webhook's project (a concurrent create or rename lost the race).</summary>
    public static ProblemDetails NameTaken =>
        Problems.ForKey(ErrorCodes.NotUnique, "name", "A webhook with this name already exists in the project.");

    /// <summary>Constraint name (as WebhookConfiguration names the index) → the problem it means.</summary>
    public static readonly IReadOnlyDictionary<string, Func<ProblemDetails>> ByConstraint =
        new Dictionary<string, Func<ProblemDetails>>(StringComparer.Ordinal)
        {
            ["ix_webhooks_domain_project_name"] = () => NameTaken,
        };

    /// <summary>The problem for a unique violation the caller caused; null for anything else.</summary>
    public static ProblemDetails? ProblemFor(Exception exception) =>
        exception is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } violation }
        && violation.ConstraintName is { } name
        && ByConstraint.TryGetValue(name, out var problem)
            ? problem()
            : null;
}
