package app;

public class Second {
  public static void main(String[] args) {}

  static class NotStartable {
    static void main(String[] args) {}
  }
}
