global using System.Text.Json;
global using System.Text.Json.Nodes;
global using FluentValidation;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Webhook.Domain.Common;
global using Webhook.Api.Common;
global using Webhook.Api.Auth;
