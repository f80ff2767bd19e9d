global using System.Text.Json;
global using Microsoft.EntityFrameworkCore;
