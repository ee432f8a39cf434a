System.Console.WriteLine("cirt");
