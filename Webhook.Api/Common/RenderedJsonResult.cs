using Webhook.Infrastructure.Querying;

namespace Webhook.Api.Common;

/// <summary>
/// A 200 whose JSON body the query executor already rendered: written as is, no DOM and no serializer, and its
/// pooled buffer returned once sent. The route's <c>Produces&lt;T&gt;</c> documents the shape.
/// </summary>
internal sealed class RenderedJsonResult(RenderedJson body) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using (body)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCode;
            response.ContentType = ContentType;
            response.ContentLength = body.Utf8.Length;
            await response.Body.WriteAsync(body.Utf8, httpContext.RequestAborted);
        }
    }
}
