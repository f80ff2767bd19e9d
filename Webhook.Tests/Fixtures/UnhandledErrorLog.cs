using Microsoft.Extensions.Logging;

namespace Webhook.Tests.Fixtures;

/// <summary>
/// Appends every error the API logs with an exception (a 500's cause above all) to the file named by
/// WEBHOOK_TEST_ERROR_LOG, which ./test.sh prints when a test failed: the server side of a failure that a test only
/// sees as "500, quote the trace id", on this machine or in CI.
/// </summary>
public sealed class UnhandledErrorLog : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public static string? Path { get; } = Environment.GetEnvironmentVariable("WEBHOOK_TEST_ERROR_LOG");

    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class FileLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || exception is null)
            {
                return;
            }

            var entry = $"{DateTimeOffset.UtcNow:O} {logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}{exception}{Environment.NewLine}";
            lock (Gate)
            {
                File.AppendAllText(Path!, entry);
            }
        }
    }
}
