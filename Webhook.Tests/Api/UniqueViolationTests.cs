using Microsoft.EntityFrameworkCore;
using Npgsql;
using Webhook.Api.Common;
using Webhook.Domain.Common;
using Webhook.Infrastructure;

namespace Webhook.Tests.Api;

/// <summary>Unique violations are told apart by constraint name, never all reported as a taken name.</summary>
public sealed class UniqueViolationTests
{
    [Fact]
    public void ByConstraint_NamesOnlyUniqueIndexesTheModelHas()
    {
        using var db = new WebhookDbContext(new DbContextOptionsBuilder<WebhookDbContext>()
            .UseNpgsql("Host=127.0.0.1").UseSnakeCaseNamingConvention().Options);

        var unique = db.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()).Where(i => i.IsUnique)
            .Select(i => i.GetDatabaseName()).ToHashSet();

        Assert.NotEmpty(UniqueViolations.ByConstraint);
        Assert.All(UniqueViolations.ByConstraint.Keys, name => Assert.Contains(name, unique));
    }

    [Fact]
    public void ProblemFor_NameIndex_Is409NamingTheName()
    {
        var problem = UniqueViolations.ProblemFor(Violation("ix_webhooks_domain_project_name"));

        Assert.NotNull(problem);
        Assert.Equal(409, problem.Status);
        Assert.Equal(ErrorCodes.NotUnique, problem.Extensions["code"]);
        Assert.Contains("(key = name)", problem.Detail);
    }

    [Theory]
    [InlineData("ix_webhooks_webhook_id")]
    [InlineData("ux_events_request_sequence")]
    [InlineData(null)]
    public void ProblemFor_AnyOtherUniqueIndex_IsNotTheCallersDoing(string? constraint)
    {
        Assert.Null(UniqueViolations.ProblemFor(Violation(constraint)));
    }

    private static DbUpdateException Violation(string? constraint) =>
        new("save failed", new PostgresException(
            "duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation,
            constraintName: constraint));
}
