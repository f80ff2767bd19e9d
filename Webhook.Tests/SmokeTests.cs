namespace Webhook.Tests;
public class SmokeTests { [Xunit.Fact] public void One() => Xunit.Assert.True(1 + 1 == 2); }
