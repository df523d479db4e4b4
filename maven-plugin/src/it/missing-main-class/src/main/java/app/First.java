package app;

public class First {
  public static void main(String[] args) {}
}
