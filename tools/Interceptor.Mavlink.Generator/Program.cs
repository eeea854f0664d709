Console.Error.WriteLine("generator: not written yet"); return 2;
