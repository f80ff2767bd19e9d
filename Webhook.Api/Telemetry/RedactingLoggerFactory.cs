namespace Webhook.Api.Telemetry;

/// <summary>
/// Wraps the logger factory so no log line, structured value or scope carries a receiver URL's access key,
/// whichever provider writes it (console text or JSON, a test's capture, an exporter). The framework logs request
/// paths in several places (hosting's "Request starting/finished", the request scope's <c>RequestPath</c>): hiding
/// the key here covers them all and anything added later. Wrapping the factory, not the providers, keeps
/// provider-specific settings (<c>Logging:Console:...</c>) working.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            RedactedState.Needed(state) ? inner.BeginScope(new RedactedState(state)) : inner.BeginScope(state);

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            if (RedactedState.Needed(state))
            {
                inner.Log(logLevel, eventId, new RedactedState(state!, () => formatter(state, exception)), exception, static (s, _) => s.Message);
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <summary>
    /// A log state or scope with the key removed from its message and from each text value. Lazy: a request scope
    /// is only read when a line is written inside it, so the receiver pays for the wrapper, not the rewriting.
    /// </summary>
    private sealed class RedactedState(object state, Func<string> message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private KeyValuePair<string, object?>[]? _values;
        private string? _message;

        public RedactedState(object state)
            : this(state, () => state.ToString() ?? "")
        {
        }

        public string Message => _message ??= AccessKeyRedaction.Redact(message());

        private KeyValuePair<string, object?>[] Values => _values ??= state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.Select(p => new KeyValuePair<string, object?>(p.Key, Redact(p.Value))).ToArray()
            : [];

        public int Count => Values.Length;

        public KeyValuePair<string, object?> this[int index] => Values[index];

        /// <summary>
        /// True when a text value (or, for a state that is not a list of values, its text) may hold a key. Structured
        /// states carry every part of their message as a value, so checking the values covers the message too.
        /// </summary>
        public static bool Needed<TState>(TState state) => state switch
        {
            string text => AccessKeyRedaction.MayHoldKey(text),
            IReadOnlyList<KeyValuePair<string, object?>> pairs => AnyValueMayHoldKey(pairs),
            IEnumerable<KeyValuePair<string, object?>> => true,
            _ => AccessKeyRedaction.MayHoldKey(state?.ToString()),
        };

        private static bool AnyValueMayHoldKey(IReadOnlyList<KeyValuePair<string, object?>> pairs)
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                if (AccessKeyRedaction.MayHoldKey(Text(pairs[i].Value)))
                {
                    return true;
                }
            }

            return false;
        }

        private static object? Redact(object? value) =>
            Text(value) is { } text && AccessKeyRedaction.MayHoldKey(text) ? AccessKeyRedaction.Redact(text) : value;

        /// <summary>The text a provider would write for a value; numbers and other plain values hold no path.</summary>
        private static string? Text(object? value) => value switch
        {
            string text => text,
            PathString or Uri => value.ToString(),
            null or ValueType or Exception => null,
            _ => value.ToString(),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Values).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
