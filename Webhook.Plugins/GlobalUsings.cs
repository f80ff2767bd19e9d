global using System.Text.Json;
global using System.Text.Json.Nodes;
global using Webhook.Plugins.Common;
