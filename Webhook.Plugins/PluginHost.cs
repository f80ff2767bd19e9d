namespace Webhook.Plugins;
public static class PluginHost { public static void Main(string[] args) => WebApplication.CreateBuilder(args).Build().Run(); }
