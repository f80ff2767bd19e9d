namespace Webhook.Infrastructure.Plugins;

/// <summary>A plugin answer passed <c>Webhook:MaxPluginAnswerBytes</c>; nothing more of it is read.</summary>
internal sealed class PluginAnswerTooLargeException(long limit)
    : IOException($"The plugin's answer is larger than {limit} bytes.")
{
}

/// <summary>
/// Bounds every plugin answer (<c>Webhook:MaxPluginAnswerBytes</c>): a declared length over the limit fails at
/// once, an undeclared one fails as soon as the bytes read pass it, so a plugin cannot make the API buffer more.
/// </summary>
internal sealed class AnswerSizeLimitHandler(long maxBytes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            response.Dispose();
            throw new PluginAnswerTooLargeException(maxBytes);
        }

        var limited = new StreamContent(new LimitedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken), maxBytes));
        foreach (var header in response.Content.Headers)
        {
            limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = limited;
        return response;
    }

    private sealed class LimitedReadStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw new PluginAnswerTooLargeException(maxBytes) : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
