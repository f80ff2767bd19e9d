using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Webhook.Api.Auth;

/// <summary>
/// Bearer JWTs through ASP.NET Core's JwtBearer handler, one policy per scope, and the 401/403 problem bodies.
/// No default scheme: only routes whose policy asks for the token run the handler, so the anonymous receiver
/// never parses an <c>Authorization</c> header as a JWT (senders put their access key there).
/// </summary>
internal static class AuthRegistration
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>A token expires when it says, give or take this much clock drift between issuer and service.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddApiAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        services.AddSingleton<ValidatedTokenCache>();
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<AuthOptions>, ValidatedTokenCache>(
            (jwt, auth, tokens) => Configure(jwt, auth.Value, tokens));

        services.AddSingleton<IAuthorizationHandler, ScopeHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorization(options =>
        {
            foreach (var scope in Scopes.Policies)
            {
                options.AddPolicy(scope, policy => policy
                    .AddAuthenticationSchemes(Scheme)
                    .RequireAuthenticatedUser()
                    .AddRequirements(new ScopeRequirement(scope)));
            }
        });
        return services;
    }

    /// <summary>Every route of the group needs a token carrying <paramref name="scope"/>.</summary>
    public static RouteGroupBuilder RequireScope(this RouteGroupBuilder group, string scope) =>
        group.RequireAuthorization(scope);

    /// <summary>Every route of the group works in the caller's domain and projects, resolved before its handler.</summary>
    public static RouteGroupBuilder RequireCallerScope(this RouteGroupBuilder group) =>
        group.AddEndpointFilter<CallerScopeFilter>();

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, ValidatedTokenCache tokens)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenHandlers.Clear();
        jwt.TokenHandlers.Add(tokens);
        jwt.IncludeErrorDetails = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            NameClaimType = "sub",
        };
        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            jwt.Authority = auth.Authority;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        }
        else if (!string.IsNullOrWhiteSpace(auth.SigningKey) && auth.Refusal(isDevelopment: true) is null)
        {
            jwt.TokenValidationParameters.ValidIssuer = auth.Issuer;
            jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(auth.SigningKeyBytes());
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        // Neither set (Development only): no key validates anything, so every management call is 401.
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.SecurityToken is JsonWebToken token)
                {
                    var route = context.HttpContext.GetEndpoint() is RouteEndpoint endpoint
                        ? $"{context.Request.Method} /{endpoint.RoutePattern.RawText?.TrimStart('/')}"
                        : $"{context.Request.Method} {context.Request.Path}";
                    context.HttpContext.Features.Set(Caller.FromToken(token, route));
                }
                else
                {
                    context.Fail("Unsupported token type.");
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var hasToken = context.Request.Headers.Authorization.Count > 0;
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = hasToken ? "Bearer error=\"invalid_token\"" : "Bearer";
                await WriteAsync(context.HttpContext, Problems.Create(
                    ErrorCodes.AuthenticateFailure, hasToken ? Why(context.AuthenticateFailure) : "A bearer token is required (Authorization: Bearer <JWT>)."));
            },
        };
    }

    /// <summary>What was wrong with the token, without echoing any of it.</summary>
    private static string Why(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "The bearer token has expired.",
        SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
        SecurityTokenInvalidIssuerException => "The bearer token's issuer is not accepted.",
        SecurityTokenInvalidAudienceException => "The bearer token's audience is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The bearer token's signature does not verify.",
        _ => "The bearer token is malformed or not valid.",
    };

    private static Task WriteAsync(HttpContext http, ProblemDetails problem) =>
        http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
        }).AsTask();

    private sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
            options.Refusal(environment.IsDevelopment()) is { } refusal
                ? ValidateOptionsResult.Fail(refusal)
                : ValidateOptionsResult.Success;
    }

    private sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

    private sealed class ScopeHandler : AuthorizationHandler<ScopeRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
        {
            if (context.Resource is HttpContext http && http.Features.Get<Caller>() is { } caller
                && caller.Scopes.Contains(requirement.Scope))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>A token without the route's scope is 403 ERROR_PERMISSION_DENIED naming the scope; the rest as usual.</summary>
    private sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (!authorizeResult.Forbidden)
            {
                return _default.HandleAsync(next, context, policy, authorizeResult);
            }

            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>()
                .Select(r => r.Scope).ToList() ?? [];
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return WriteAsync(context, Problems.Create(ErrorCodes.PermissionDenied, missing.Count > 0
                ? $"The token lacks the scope {string.Join(", ", missing)}."
                : "The token does not allow this request."));
        }
    }
}
